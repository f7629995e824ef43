"""Create the editorial roles, their page permissions and the moderation workflow.

It also makes the page tree of every language (see `content.locales`); permissions and the
workflow apply in every tree, so translators work under the same roles.

Idempotent: run it after every deploy (and `load_demo` does). It only adds what is missing
and puts back permissions someone removed; it never deletes a group, a user's membership or
a workflow an administrator made.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from content.locales import ensure_locales, synchronise_trees
from content.models import DistrictPage, HomePage
from portal.registry.models import District

EDITOR, REVIEWER, ADMINISTRATOR = "editor", "reviewer", "administrator"
DISTRICT_EDITOR = "district editor · {}"
WORKFLOW = "审核发布"
REVIEW_TASK = "审核"

#: Page permissions (codenames on wagtailcore.Page) per role, given on the home page.
PAGE_PERMISSIONS = {
    EDITOR: ["add_page", "change_page"],
    REVIEWER: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    ADMINISTRATOR: [
        "add_page",
        "change_page",
        "publish_page",
        "bulk_delete_page",
        "lock_page",
        "unlock_page",
    ],
}
IMAGE_AND_DOCUMENT = ["add", "change", "choose"]
#: Editors keep the lookup's synonym dictionary (search.SynonymGroup).
SYNONYMS = ["search.add_synonymgroup", "search.change_synonymgroup", "search.delete_synonymgroup"]
#: Model permissions beyond pages: "app_label.codename".
MODEL_PERMISSIONS = {
    EDITOR: ["wagtailadmin.access_admin", "wagtail_localize.submit_translation", *SYNONYMS],
    REVIEWER: [
        "wagtailadmin.access_admin",
        "wagtail_localize.submit_translation",
        "exchange.review_partneritem",
        *SYNONYMS,
    ],
    ADMINISTRATOR: [
        "wagtailadmin.access_admin",
        "wagtail_localize.submit_translation",
        "auth.add_user",
        "auth.change_user",
        "wagtailcore.add_workflow",
        "wagtailcore.change_workflow",
        "wagtailcore.add_task",
        "wagtailcore.change_task",
        "exchange.review_partneritem",
        "exchange.view_partner",
        "exchange.add_partner",
        "exchange.change_partner",
        "exchange.delete_partner",
        *SYNONYMS,
    ],
}


def permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def page_permission(codename: str) -> Permission:
    return permission(f"wagtailcore.{codename}")


def grant_pages(group: Group, page: Page, codenames: list[str]) -> None:
    """The permissions on the page and on its translations (one tree per language)."""
    for translation in page.get_translations(inclusive=True):
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=translation, permission=page_permission(codename)
            )


def grant_collection(group: Group, collection: Collection) -> None:
    for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
        for action in IMAGE_AND_DOCUMENT:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=permission(f"{app_label}.{action}_{model}"),
            )


class Command(BaseCommand):
    help = (
        "Create the editor, reviewer and administrator groups with their permissions, one "
        "group per district section, and the moderation workflow (submit → review → publish) "
        "on the home page. Safe to run again."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        home = HomePage.original()
        if home is None:
            raise CommandError("No home page yet: run `manage.py load_demo` or create one first.")
        locales = ensure_locales()
        synchronise_trees()
        collection = Collection.get_first_root_node()
        groups = {}
        for role, codenames in PAGE_PERMISSIONS.items():
            group, _ = Group.objects.get_or_create(name=role)
            grant_pages(group, home, codenames)
            grant_collection(group, collection)
            group.permissions.add(*(permission(p) for p in MODEL_PERMISSIONS[role]))
            groups[role] = group
        districts = self._district_groups(home, collection)
        self._workflow(home, groups[REVIEWER], groups[ADMINISTRATOR])
        self.stdout.write(
            self.style.SUCCESS(
                f"Editorial roles ready: {', '.join(groups)}; {districts} district sections; "
                f"workflow “{WORKFLOW}” on “{home.title}”; page trees in "
                f"{', '.join(locale.language_code for locale in locales)}."
            )
        )

    def _district_groups(self, home: HomePage, collection: Collection) -> int:
        """A section and a group for every district that has editors: the group may edit
        only under its section, and its members are the district's editors."""
        sections = {s.district_id: s for s in DistrictPage.objects.filter(locale=home.locale)}
        count = 0
        for district in District.objects.filter(editors__isnull=False).distinct():
            section = sections.get(district.pk)
            if section is None:
                section = DistrictPage(title=district.name, slug=district.code, district=district)
                home.add_child(instance=section)
                synchronise_trees()
            group, _ = Group.objects.get_or_create(name=DISTRICT_EDITOR.format(district.code))
            grant_pages(group, section, PAGE_PERMISSIONS[EDITOR])
            grant_collection(group, collection)
            group.permissions.add(permission("wagtailadmin.access_admin"))
            group.user_set.add(*district.editors.all())
            count += 1
        return count

    def _workflow(self, home: HomePage, *reviewers: Group) -> None:
        task, _ = GroupApprovalTask.objects.get_or_create(name=REVIEW_TASK)
        task.groups.add(*reviewers)
        workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW)
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
        for translation in home.get_translations(inclusive=True):
            WorkflowPage.objects.update_or_create(page=translation, defaults={"workflow": workflow})

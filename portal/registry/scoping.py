"""District editors see and change only their own district's records.

A model opts in with a `district_lookup` attribute: the ORM path from it to its District.
Users linked to districts (District.editors) are limited to them; superusers and editors
without a district work city-wide.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.snippets.views import snippets as snippet_views

from portal.core.snippets import SnippetViewSet


def user_district_ids(user) -> list[int] | None:
    """The districts a user is limited to, or None when the user is not limited."""
    if not user.is_authenticated or user.is_superuser:
        return None
    return list(user.districts.values_list("pk", flat=True)) or None


def scope_to_user(queryset: QuerySet, user) -> QuerySet:
    lookup = getattr(queryset.model, "district_lookup", None)
    district_ids = user_district_ids(user)
    if lookup is None or district_ids is None:
        return queryset
    return queryset.filter(**{f"{lookup}__in": district_ids})


class DistrictScopedForm(WagtailAdminModelForm):
    """Offers a district editor only their own districts in any district field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        district_ids = user_district_ids(self.for_user) if self.for_user else None
        if district_ids is None:
            return
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and queryset.model._meta.label == "registry.District":
                field.queryset = queryset.filter(pk__in=district_ids)
                field.required = True


class _ScopedObject:
    """Refuses single-object views (edit, delete, inspect, history …) outside the district."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset) if queryset is not None else super().get_object()
        model = type(obj)
        if not scope_to_user(model._default_manager.filter(pk=obj.pk), self.request.user).exists():
            raise PermissionDenied
        return obj


class DistrictScopedViewSet(SnippetViewSet):
    """A snippet viewset whose listing and object views respect the user's districts."""

    edit_view_class = type("ScopedEditView", (_ScopedObject, snippet_views.EditView), {})
    delete_view_class = type("ScopedDeleteView", (_ScopedObject, snippet_views.DeleteView), {})
    inspect_view_class = type("ScopedInspectView", (_ScopedObject, snippet_views.InspectView), {})
    history_view_class = type("ScopedHistoryView", (_ScopedObject, snippet_views.HistoryView), {})
    usage_view_class = type("ScopedUsageView", (_ScopedObject, snippet_views.UsageView), {})
    inspect_view_enabled = True

    def get_queryset(self, request):
        return scope_to_user(self.model._default_manager.all(), request.user)

"""Admin for surveys: one snippet viewset; questions and their answers are inline panels."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet

from portal.core.snippets import SnippetViewSet

from .models import Survey


class SurveyViewSet(SnippetViewSet):
    model = Survey
    icon = "form"
    menu_label = _("Surveys")
    menu_order = 230
    add_to_admin_menu = True
    list_display = [
        "title",
        "opens_on",
        "closes_on",
        "published",
        Column("response_count", label=_("responses")),
    ]
    list_filter = ["published"]
    search_fields = ["title", "slug"]

    def get_queryset(self, request):
        return Survey.objects.annotate(response_count=Count("responses"))


register_snippet(SurveyViewSet)

"""Admin for search: the synonym groups editors keep, with their history."""

from django.utils.translation import gettext_lazy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from portal.core.snippets import SnippetViewSet

from .models import SynonymGroup


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "list-ul"
    menu_label = gettext_lazy("Synonyms")
    list_display = ["__str__", "note", "enabled", "updated_at"]
    list_filter = ["enabled"]
    search_fields = ["terms", "note"]
    ordering = ["-updated_at"]


class SearchGroup(SnippetViewSetGroup):
    menu_label = "搜索 Search"
    menu_icon = "search"
    menu_order = 250
    items = (SynonymGroupViewSet,)


register_snippet(SearchGroup)

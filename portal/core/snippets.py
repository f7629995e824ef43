"""The snippet admin every app uses: Wagtail's, with choosers that survive a malformed value.

While re-showing a refused form, Wagtail's choosers look the submitted value up as an id; a
value such as "abc" raises there (a server error) instead of letting the form say it is not
a valid choice. These choosers show nothing chosen instead, and `SnippetViewSet` registers
them for every foreign key to its model, so each admin form gets them without asking.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from wagtail.documents.widgets import AdminDocumentChooser
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.widgets import AdminSnippetChooser


class _IgnoresMalformedIds:
    def get_instance(self, value):
        try:
            return super().get_instance(value)
        except (ValueError, TypeError, ValidationError, OverflowError):
            return None


class SnippetChooser(_IgnoresMalformedIds, AdminSnippetChooser):
    pass


class DocumentChooser(_IgnoresMalformedIds, AdminDocumentChooser):
    pass


class _ChooserViewSet(SnippetChooserViewSet):
    base_widget_class = SnippetChooser


class SnippetViewSet(snippet_views.SnippetViewSet):
    chooser_viewset_class = _ChooserViewSet

"""Choosers that survive a malformed value.

While re-showing a refused form, Wagtail's choosers look the submitted value up as an id;
a value such as "abc" raises there (a server error) instead of letting the form say it is not
a valid choice. These choosers show nothing chosen instead.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from wagtail.documents.widgets import AdminDocumentChooser
from wagtail.snippets.widgets import AdminSnippetChooser


class _IgnoresMalformedIds:
    def get_instance(self, value):
        try:
            return super().get_instance(value)
        except (ValueError, TypeError, ValidationError):
            return None


class SnippetChooser(_IgnoresMalformedIds, AdminSnippetChooser):
    pass


class DocumentChooser(_IgnoresMalformedIds, AdminDocumentChooser):
    pass

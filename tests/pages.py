"""Helpers for page tests. Pages exist once per language tree (translations and aliases):
tests name the original."""

from django.conf import settings


def original(model, **lookups):
    """The one page of `model` (matching `lookups`) in the default language's tree."""
    return model.objects.get(locale__language_code=settings.LANGUAGE_CODE, **lookups)


def html_of(response) -> str:
    """The HTML of a page that must have been served."""
    assert response.status_code == 200, response.status_code
    return response.content.decode()

"""`{% csp_nonce %}`: the response's Content-Security-Policy nonce, for an inline script of
our own templates (also where the template has no `request`, as in Wagtail's panels)."""

from __future__ import annotations

from django import template

from portal.core.csp import current_nonce

register = template.Library()


@register.simple_tag
def csp_nonce() -> str:
    return current_nonce()

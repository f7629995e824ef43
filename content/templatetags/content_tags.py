"""Template filters for the public pages."""

from django import template
from wagtail.models import Site

from content.sanitize import sanitize_html

register = template.Library()


@register.filter(name="sanitize")
def sanitize(value):
    """Untrusted HTML (imported remarks, grader or consumer text) cleaned for the page."""
    return sanitize_html(value)


@register.simple_tag(takes_context=True)
def site_sections(context):
    """The home page's sections shown in menus, for the main navigation (one query)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(site.root_page.get_children().live().in_menu())

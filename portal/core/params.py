"""Query parameters of public pages: read through a form, never handed raw to the ORM, and
repeated in links only cut to a bound.

A public address is typed by hand, cut by chat apps and fuzzed by robots. A page reads its
parameters with a `QueryForm`: a malformed or unknown value is left out and named in a note
above the page (never a 500 from a raw value reaching the database); what the page repeats
(pagination, language links) is built from the valid values only, or cut by `echo_query`, so
no page grows with the address.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext_lazy as _

#: Characters of one parameter value that a page repeats (the lookup reads no more either).
MAX_ECHO = 100
#: Bytes of query string a link carrying the current address (a language link) may repeat.
MAX_LINK_QUERY = 600
#: Longest path a link repeating the current address keeps; no page has a longer one.
MAX_LINK_PATH = 500
#: Largest id a page accepts (PostgreSQL's bigint): larger ones are malformed, not "not found".
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class ParamsNote:
    """What the page says about its address: parameters it ignored, and those it cut."""

    ignored: tuple[str, ...] = ()
    cut: tuple[tuple[str, int], ...] = field(default=())  # (label, characters kept)

    def __bool__(self) -> bool:
        return bool(self.ignored or self.cut)


class IdField(forms.IntegerField):
    """A database id: a positive number that fits the column, so a lookup cannot overflow."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class EchoedCharField(forms.CharField):
    """Free text shown back in its input: validated in full, but re-displayed cut to
    `MAX_ECHO` characters, so a 5,000-character paste does not come back whole."""

    def bound_data(self, data, initial):
        return data[:MAX_ECHO] if isinstance(data, str) else data


class QueryForm(forms.Form):
    """The query parameters of one public page, always bound (to `request.GET`).

    Every field is optional; a value that does not validate is dropped (the page shows what
    it shows without it) and its label is listed in `note`. Subclasses add their fields;
    `page` is common to every paginated page.
    """

    page = forms.IntegerField(label=_("Page"), min_value=1, max_value=MAX_ID, required=False)

    @property
    def chosen(self) -> dict:
        """The valid, non-empty values by parameter name."""
        self.is_valid()  # cleans once, on first use: a subclass may set choices before
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "", [], ())
        }

    @property
    def note(self) -> ParamsNote:
        return ParamsNote(ignored=tuple(str(self.fields[name].label) for name in self.errors))

    def query_string(self) -> str:
        """The valid values but the page number, for links to the other pages of the list."""
        return urlencode({k: v for k, v in self.chosen.items() if k != "page"}, doseq=True)


def echo_query(params: QueryDict, *, drop: tuple[str, ...] = ()) -> str:
    """The current query string as a link may repeat it: each value cut to `MAX_ECHO`
    characters, parameters in `drop` left out, and those that no longer fit in
    `MAX_LINK_QUERY` bytes left out too."""
    pairs: list[str] = []
    room = MAX_LINK_QUERY
    for name, values in params.lists():
        if name in drop:
            continue
        for value in values:
            pair = urlencode({name[:MAX_ECHO]: value[:MAX_ECHO]})
            if len(pair) + 1 <= room:
                pairs.append(pair)
                room -= len(pair) + 1
    return "&".join(pairs)


def bounded_address(request) -> str:
    """The current address as a link may repeat it (the language links): the query through
    `echo_query`, and a path longer than any page's (a hostile one) replaced by the home's."""
    path = escape_uri_path(request.path) if len(request.path) <= MAX_LINK_PATH else "/"
    query = echo_query(request.GET)
    return f"{path}?{query}" if query else path


class PagedListMixin:
    """For a `ListView`: `?page=` read by a `QueryForm` — a malformed number shows the first
    page with a note, one past the end the last page — instead of Django's 404."""

    def paginate_queryset(self, queryset, page_size):
        self.query_params = QueryForm(self.request.GET)
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.query_params.chosen.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["params_note"] = self.query_params.note
        return context

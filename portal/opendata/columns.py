"""What the open-data rows are built of: the base serializer, whose fields are declared once in
column order, and the kinds of column (the row model's own, links, ids and text of related
rows, translations). Each carries its help text, from which the schema and the data dictionary
describe it."""

from __future__ import annotations

from operator import attrgetter
from types import SimpleNamespace

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import links

#: Languages other than the default one, whose translated warnings are linked.
TRANSLATED_LANGUAGES = tuple(
    code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES if code != settings.LANGUAGE_CODE
)


def translation_path_attribute(language: str) -> str:
    """The queryset annotation holding a warning's translation's `url_path` in `language`."""
    return "translation_path_" + language.replace("-", "_")


class Column(serializers.Field):
    """A field of the row's own model, at this place in the row: ModelSerializer builds it from
    the model field. Without a help text the model field's help text describes it."""

    def __init__(self, help_text=None):
        super().__init__(help_text=help_text)


class OpenDataSerializer(serializers.ModelSerializer):
    """Read-only, with the helpers that turn paths into absolute links."""

    def __init_subclass__(cls, **kwargs):
        """Each field is declared once, in column order (computed ones as fields, the model's
        own as `Column`s): Meta's field list and help texts are made from the declarations."""
        super().__init_subclass__(**kwargs)
        declared = cls._declared_fields
        cls.Meta.fields = list(declared)
        cls.Meta.extra_kwargs = {
            name: {"help_text": field.help_text}
            for name, field in declared.items()
            if isinstance(field, Column) and field.help_text
        }
        cls._declared_fields = {
            name: field for name, field in declared.items() if not isinstance(field, Column)
        }

    def absolute(self, path: str | None) -> str | None:
        return links.absolute(path, self.context.get("request")) if path else None

    def page_cache(self):
        """Where Wagtail keeps the site root paths while this serializer (or list) runs."""
        request = self.context.get("request")
        if request is not None:
            return request._request
        return self.context.setdefault("wagtail_cache", SimpleNamespace())


@extend_schema_field(OpenApiTypes.URI)
class LinkField(serializers.Field):
    """An absolute link built from a path; `path_of(serializer, obj)` returns the path or None.
    `reads` names the relation (a dotted path) the path is made from, when there is one, so that
    its changes invalidate the API's validators like those of any other field's source."""

    def __init__(self, path_of, reads: str = "", **kwargs):
        self.path_of = path_of
        self.reads = reads
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, obj):
        return self.parent.absolute(self.path_of(self.parent, obj))


@extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
class RelatedIdsField(serializers.Field):
    """The `id_field` of each related row the query loaded into `attribute` (a Prefetch's
    `to_attr`); `reads` names their relation, as for links."""

    def __init__(self, attribute: str, id_field: str, reads: str, **kwargs):
        self.attribute, self.id_field, self.reads = attribute, id_field, reads
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, obj):
        return [getattr(row, self.id_field) for row in getattr(obj, self.attribute)]


def api_link(dataset: str) -> LinkField:
    return LinkField(
        lambda serializer, obj: links.api_path(dataset, obj.pk),
        help_text=_("Permanent address of this item in the API."),
    )


def api_link_to(dataset: str, attribute: str, help_text) -> LinkField:
    """A link to another dataset's item, null when `attribute` (a foreign key id) is empty."""
    return LinkField(
        lambda serializer, obj: (
            links.api_path(dataset, getattr(obj, attribute)) if getattr(obj, attribute) else None
        ),
        allow_null=True,
        help_text=help_text,
    )


def portal_link(view_name: str, *attributes: str, help_text) -> LinkField:
    """A link to the portal page whose address takes these attributes (dotted paths)."""
    values = [attrgetter(attribute) for attribute in attributes]
    return LinkField(
        lambda serializer, obj: links.portal_path(view_name, *(value(obj) for value in values)),
        help_text=help_text,
    )


def related_id(help_text, allow_null: bool = True) -> serializers.IntegerField:
    """The id of a related row (a foreign key's `…_id`), null when the relation is empty."""
    return serializers.IntegerField(read_only=True, allow_null=allow_null, help_text=help_text)


def related_text(source: str, help_text) -> serializers.CharField:
    """Text from a related row (`source` is a dotted path), null when the relation is empty."""
    return serializers.CharField(
        source=source, allow_null=True, read_only=True, help_text=help_text
    )


def category_fields(source: str = "category") -> dict[str, serializers.Field]:
    return {
        "category_id": related_id(_("Identifier of the product category.")),
        "category_code": related_text(f"{source}.code", _("Code of the product category.")),
        "category_name": related_text(f"{source}.name", _("Name of the product category.")),
    }


@extend_schema_field(
    {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}}
)
class TranslationsField(serializers.Field):
    """Language code → address of the translated page; languages with no translation yet
    are left out (the page then exists only as the original)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, page):
        cache = self.parent.page_cache()
        translations = {}
        for language in TRANSLATED_LANGUAGES:
            url_path = getattr(page, translation_path_attribute(language))
            if url_path:
                translations[language] = self.parent.absolute(
                    links.path_of_url_path(url_path, cache)
                )
        return translations

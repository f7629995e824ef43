"""The data dictionary: each dataset's fields with their type and meaning.

Read from the OpenAPI schema that drf-spectacular builds from the API's serializers, the same
serializers that write the exports: the dictionary cannot drift from the files or the API.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import pgettext, pgettext_lazy

from .datasets import Dataset

TYPES = {
    "integer": pgettext_lazy("data type", "integer"),
    "number": pgettext_lazy("data type", "number"),
    "decimal": pgettext_lazy("data type", "decimal number"),
    "string": pgettext_lazy("data type", "text"),
    "boolean": pgettext_lazy("data type", "true or false"),
    "date": pgettext_lazy("data type", "date (YYYY-MM-DD)"),
    "date-time": pgettext_lazy("data type", "date and time (ISO 8601, with offset)"),
    "uri": pgettext_lazy("data type", "web address"),
    "code": pgettext_lazy("data type", "code"),
    "object": pgettext_lazy("data type", "object"),
}
#: drf-spectacular lists a choice field's codes as "* `code` - label" lines.
CHOICE = re.compile(r"^\* `([^`]*)` - (.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    nullable: bool


@functools.lru_cache(maxsize=8)
def _components(language: str) -> dict:
    """The schema's components, built once per language (descriptions are translated)."""
    from drf_spectacular.generators import SchemaGenerator

    with translation.override(language):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    return schema["components"]["schemas"]


def _referenced(prop: dict, components: dict) -> dict | None:
    reference = prop.get("$ref") or next(
        (part["$ref"] for part in prop.get("allOf", []) + prop.get("oneOf", []) if "$ref" in part),
        None,
    )
    return components[reference.rsplit("/", 1)[-1]] if reference else None


def _base_type(prop: dict, components: dict) -> str:
    target = _referenced(prop, components)
    if target is not None and "enum" in target:
        return str(TYPES["code"])
    if target is not None or prop.get("type") == "object":
        return str(TYPES["object"])
    kind = prop.get("format") if prop.get("format") in TYPES else prop.get("type", "string")
    return str(TYPES.get(kind, kind))


def _type(prop: dict, components: dict) -> str:
    """A reader's name for the type of a property, saying how CSV writes nested values."""
    if prop.get("type") == "array":
        item = _base_type(prop.get("items", {}), components)
        return pgettext("data type", "list of %(item)s, JSON text in CSV") % {"item": item}
    kind = _base_type(prop, components)
    if kind == str(TYPES["object"]):
        return pgettext("data type", "object, JSON text in CSV")
    return kind


def _meaning(prop: dict, components: dict) -> str:
    """The field's help text, and what each of its codes means, one per line."""
    target = _referenced(prop, components) or {}
    text = prop.get("description") or target.get("description") or prop.get("title", "")
    return CHOICE.sub(
        lambda code: (
            pgettext("data dictionary", "%(code)s: %(meaning)s")
            % {"code": code[1] or "—", "meaning": code[2]}
        ),
        text,
    )


def dataset_fields(dataset: Dataset) -> list[Field]:
    """The fields of a dataset's rows, in column order, in the active language."""
    components = _components(translation.get_language() or "zh-hans")
    schema = components[dataset.serializer_class.__name__.removesuffix("Serializer")]
    return [
        Field(
            name=name,
            type=_type(prop, components),
            description=_meaning(prop, components),
            nullable=bool(prop.get("nullable")),
        )
        for name, prop in schema["properties"].items()
    ]

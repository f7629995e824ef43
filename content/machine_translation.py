"""Simplified ↔ traditional Chinese as wagtail-localize's machine translator.

The two scripts are one language: OpenCC converts a page exactly enough that a translator only
reviews it, with no outside service. English has no machine translator here: it is written by
people.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail_localize.machine_translators.base import BaseMachineTranslator
from wagtail_localize.strings import StringValue

from portal.core.text import to_simplified, to_traditional

CONVERTERS = {("zh-hans", "zh-hant"): to_traditional, ("zh-hant", "zh-hans"): to_simplified}


class ChineseScriptTranslator(BaseMachineTranslator):
    display_name = _("OpenCC (simplified ↔ traditional Chinese)")

    def can_translate(self, source_locale, target_locale) -> bool:
        return (source_locale.language_code, target_locale.language_code) in CONVERTERS

    def translate(self, source_locale, target_locale, strings):
        convert = CONVERTERS[source_locale.language_code, target_locale.language_code]
        # Strings carry inline markup (<a id="a1">, <b>); OpenCC leaves ASCII alone.
        return {string: StringValue(convert(string.data)) for string in strings}

"""What every public page's furniture needs: the authority's identity in the page's language
(footer) and whether the visitor chose the elderly-friendly mode (适老化)."""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import get_language

from .text import to_traditional

#: Written in Chinese, with an English variant (`…_en`) for /en/.
NAMES = ("authority", "sponsor", "operator", "address")
_DIGITS = re.compile(r"\d+")


def site_furniture(request) -> dict:
    return {
        "site_identity": site_identity(get_language() or settings.LANGUAGE_CODE),
        "elderly_mode": request.COOKIES.get(settings.ELDERLY_MODE_COOKIE) == "1",
    }


def site_identity(language: str) -> dict[str, str]:
    """The configured identity in `language`; blank values stay blank (and hidden)."""
    configured = settings.PORTAL_IDENTITY
    identity = {key: configured[key] for key in ("hotline", "icp_filing", "site_code")}
    for name in NAMES:
        text = configured[name]
        if language == "en":
            text = configured[f"{name}_en"] or text
        elif language == "zh-hant":
            text = to_traditional(text)
        identity[name] = text
    # 公安备案号: shown as filed, linked to its record on beian.mps.gov.cn by its digits.
    identity["psb_filing"] = configured["psb_filing"]
    identity["psb_code"] = "".join(_DIGITS.findall(configured["psb_filing"]))
    return identity

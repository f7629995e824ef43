"""Free text of the supervision forms is plain text; markup is refused, not silently kept."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# "<" followed by a letter, "/", "!" or "?" opens a tag, a comment or a declaration; a
# comparison such as "含量<0.1%" does not.
_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|javascript:", re.IGNORECASE)


def validate_plain_text(value: str) -> None:
    if _MARKUP.search(value or ""):
        raise ValidationError(
            _("Write plain text: HTML tags such as <script> are not accepted."), code="markup"
        )


validate_inspector_code = RegexValidator(
    r"^[A-Za-z0-9-]{1,32}$",
    _("Use letters, digits and hyphens only, as printed on the enforcement ID."),
    code="invalid_inspector_code",
)

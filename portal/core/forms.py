"""What the public forms share."""

from __future__ import annotations


class ErrorSummaryMixin:
    """The errors of a form as the summary above it lists them (`includes/error_summary.html`),
    each linking to its field, so a screen-reader user hears them all and can jump to each."""

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(id of the input, label, message) per error; radio buttons link to their first
        option, errors of the whole form to nothing."""
        items = []
        for name, errors in self.errors.items():
            field = self[name] if name in self.fields else None
            anchor = (field.id_for_label or f"{field.auto_id}_0") if field else ""
            items += [(anchor, field.label if field else "", error) for error in errors]
        return items

"""The draw's admin form: every choice is labelled with what tells it apart."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminModelForm


class DrawForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = self.fields["categories"]
        # The same product type appears once per catalogue edition; say which one is meant.
        categories.queryset = categories.queryset.order_by("edition", "code")
        categories.label_from_instance = lambda c: f"{c.code} {c.name} · {c.edition}"
        # The district decides which firms an inspector may be sent to.
        inspectors = self.fields["inspectors"]
        inspectors.queryset = inspectors.queryset.select_related("district")
        inspectors.label_from_instance = lambda i: f"{i} · {i.district}"

from django.apps import AppConfig


class TraceabilityConfig(AppConfig):
    """追溯: from a barcode or a batch number to the checks and warnings that concern it."""

    name = "portal.traceability"
    label = "traceability"
    verbose_name = "追溯查询"

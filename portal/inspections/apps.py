from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    """Spot-check batches and results, the import of published spreadsheets, statistics."""

    name = "portal.inspections"
    label = "inspections"
    verbose_name = "监督抽查"

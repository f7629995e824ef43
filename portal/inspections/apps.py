from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    """Spot-check batches and results, the import of published spreadsheets, statistics."""

    name = "portal.inspections"
    label = "inspections"
    verbose_name = "监督抽查"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import statistics
        from .models import SpotCheckBatch, SpotCheckResult
        from .signals import results_written

        for model in (SpotCheckBatch, SpotCheckResult):
            post_save.connect(statistics.forget, sender=model, dispatch_uid=f"forget-{model}")
            post_delete.connect(statistics.forget, sender=model, dispatch_uid=f"forget-{model}-")
        results_written.connect(statistics.forget, dispatch_uid="forget-results-written")

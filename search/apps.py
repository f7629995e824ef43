from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Public lookup on OpenSearch / Elasticsearch, and the dev/test engine launcher."""

    name = "search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals, synonyms  # noqa: F401  (connect the receivers)

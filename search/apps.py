from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Public lookup on OpenSearch / Elasticsearch, and the dev/test engine launcher."""

    name = "search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.core.backup import register_part
        from portal.core.health import register_check

        from . import signals, synonyms  # noqa: F401  (connect the receivers)
        from .backup import EngineSnapshot
        from .health import check_search

        register_check("search", check_search)
        register_part("engine", EngineSnapshot())

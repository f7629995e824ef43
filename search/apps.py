from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Public lookup on OpenSearch / Elasticsearch, and the dev/test engine launcher."""

    name = "search"
    verbose_name = "Search"

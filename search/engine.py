"""The one module that knows which search engine is in use.

`SEARCH_ENGINE` picks both the client and the elasticsearch-dsl flavour: the Elasticsearch
client refuses to talk to OpenSearch (product check) and vice versa, so they cannot be mixed.
The rest of the code imports `dsl`, `get_client` and `UNAVAILABLE` from here and never asks
which engine is active.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings

if settings.SEARCH_ENGINE == "elasticsearch":
    import elasticsearch as _client_module
    from elasticsearch import dsl

    Client = _client_module.Elasticsearch
else:
    import opensearchpy as _client_module
    import opensearchpy as dsl

    Client = _client_module.OpenSearch

#: Errors meaning "the engine cannot be reached now"; callers degrade instead of failing.
UNAVAILABLE: tuple[type[Exception], ...] = (
    _client_module.ConnectionError,
    _client_module.ConnectionTimeout,
)

__all__ = ["UNAVAILABLE", "Client", "dsl", "engine_info", "get_client", "index_name"]


@lru_cache(maxsize=4)
def _client_for(url: str, timeout: float) -> Any:
    return Client(hosts=[url], request_timeout=timeout)


def get_client() -> Any:
    """The shared client for `SEARCH_URL`, also made the DSL's default connection.

    Looked up on each call so that a changed `SEARCH_URL` (tests, reconfiguration) takes effect.
    """
    client = _client_for(settings.SEARCH_URL, settings.SEARCH_TIMEOUT)
    dsl.connections.add_connection("default", client)
    return client


def index_name(name: str) -> str:
    """Prefix an index or alias name per environment, so dev, test and prod never collide."""
    return f"{settings.SEARCH_INDEX_PREFIX}-{name}"


def engine_info() -> dict[str, str]:
    """Distribution and version reported by the server; raises one of `UNAVAILABLE` if down."""
    version = get_client().info()["version"]
    return {
        "distribution": version.get("distribution", "elasticsearch"),
        "version": version["number"],
    }

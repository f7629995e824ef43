"""The one module that knows which search engine is in use.

`SEARCH_ENGINE` picks both the client and the elasticsearch-dsl flavour: the Elasticsearch
client refuses to talk to OpenSearch (product check) and vice versa, so they cannot be mixed.
The rest of the code imports `dsl`, `get_client` and `UNAVAILABLE` from here and never asks
which engine is active.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from django.conf import settings

if settings.SEARCH_ENGINE == "elasticsearch":
    import elasticsearch as _client_module
    from elasticsearch import dsl, helpers

    Client = _client_module.Elasticsearch
    POOL = {"connections_per_node": 4}  # parallel bulk threads and web threads share a client
    TIMEOUT = "request_timeout"
else:
    import opensearchpy as _client_module
    import opensearchpy as dsl
    from opensearchpy import helpers

    Client = _client_module.OpenSearch
    POOL = {"pool_maxsize": 4}
    TIMEOUT = "timeout"  # opensearch-py ignores `request_timeout` here and waits 10 s

#: Errors meaning "the engine cannot be reached now"; callers degrade instead of failing.
UNAVAILABLE: tuple[type[Exception], ...] = (
    _client_module.ConnectionError,
    _client_module.ConnectionTimeout,
)


class WrongEngine(Exception):
    """The server at `SEARCH_URL` is not the engine `SEARCH_ENGINE` names."""


#: The Elasticsearch client's refusal to talk to any other product (none for opensearch-py).
_PRODUCT_REFUSED: tuple[type[Exception], ...] = tuple(
    filter(None, [getattr(_client_module, "UnsupportedProductError", None)])
)

#: Any failure talking to the engine (unreachable, refused, bad request, wrong product):
#: callers degrade.
ENGINE_ERRORS: tuple[type[Exception], ...] = (
    WrongEngine,
    _client_module.TransportError,
    getattr(_client_module, "ApiError", _client_module.TransportError),  # Elasticsearch 8+
    helpers.BulkIndexError,
)

__all__ = [
    "ENGINE_ERRORS",
    "UNAVAILABLE",
    "Client",
    "WrongEngine",
    "bulk",
    "dsl",
    "engine_info",
    "get_client",
    "index_name",
    "maintenance_client",
    "search_hosts",
]


def search_hosts(urls: str) -> list[str]:
    """The nodes named in `SEARCH_URL`: one URL, or several separated by commas (a cluster)."""
    return [url.strip() for url in urls.split(",") if url.strip()]


@lru_cache(maxsize=4)
def _client_for(urls: str, timeout: float) -> Any:
    """With several nodes, a request that finds its node dead or silent is retried on the
    next one, so a citizen's lookup survives the loss of a node. Forgotten in a forked child
    (`fork_safe`)."""
    hosts = search_hosts(urls)
    return Client(
        hosts=hosts,
        **{TIMEOUT: timeout},
        **POOL,
        max_retries=len(hosts),
        retry_on_timeout=len(hosts) > 1,
    )


def fork_safe(cached) -> Any:
    """Forget `cached`'s clients in a forked child. gunicorn's `preload_app` forks workers
    after the master has asked the engine (`log_service_health`): children that inherited
    its pooled keep-alive sockets read each other's answers (a lookup got a page search's
    response, without aggregations: a 500)."""
    os.register_at_fork(after_in_child=cached.cache_clear)
    return cached


fork_safe(_client_for)


def get_client() -> Any:
    """The shared client for `SEARCH_URL` (one or more nodes), also the DSL's default connection.

    Looked up on each call so that a changed `SEARCH_URL` (tests, reconfiguration) takes effect.
    """
    client = _client_for(settings.SEARCH_URL, settings.SEARCH_TIMEOUT)
    dsl.connections.add_connection("default", client)
    return client


def index_name(name: str) -> str:
    """Prefix an index or alias name per environment, so dev, test and prod never collide."""
    return f"{settings.SEARCH_INDEX_PREFIX}-{name}"


def engine_info() -> dict[str, str]:
    """Distribution and version reported by the server; raises one of `UNAVAILABLE` if down,
    and `WrongEngine` if the server is not the engine `SEARCH_ENGINE` names: the other
    client half-works against it at best, so the operator must hear it in one line."""
    try:
        version = get_client().info()["version"]
    except _PRODUCT_REFUSED as error:
        raise WrongEngine(_wrong_engine_message("not Elasticsearch")) from error
    distribution = version.get("distribution", "elasticsearch")
    if distribution != settings.SEARCH_ENGINE:
        raise WrongEngine(_wrong_engine_message(f"{distribution} {version['number']}"))
    return {"distribution": distribution, "version": version["number"]}


def _wrong_engine_message(server: str) -> str:
    other = "opensearch" if settings.SEARCH_ENGINE == "elasticsearch" else "elasticsearch"
    return (
        f"SEARCH_ENGINE is {settings.SEARCH_ENGINE!r} but the server at SEARCH_URL is "
        f"{server}: set SEARCH_ENGINE={other}; until then lookups use the database"
    )


BULK_TIMEOUT = 120.0


def maintenance_client() -> Any:
    """Bulk requests and index maintenance (create, alias swap, delete) get a longer timeout
    than lookups, which must answer fast or fall back."""
    return _client_for(settings.SEARCH_URL, max(BULK_TIMEOUT, settings.SEARCH_TIMEOUT))


def bulk(actions) -> tuple[int, list]:
    """Send index/delete actions in bulk requests; raises on any failed item.

    Deleting a document that is not there is not a failure, nor is a version conflict: with
    external versions (`version_type: external`) it means the index already holds a newer
    document, which must stay.
    """
    return helpers.bulk(maintenance_client(), actions, ignore_status=(404, 409), chunk_size=1000)

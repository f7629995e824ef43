"""OpenAPI glue shared by every API of the portal."""

from __future__ import annotations


def only_api_paths(endpoints: list, **kwargs) -> list:
    """Keep the schema to /api/: Wagtail's own admin API would otherwise appear in it."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]

"""OpenAPI glue: the bearer scheme of grader tokens, and the filter that keeps the schema to
/api/ (Wagtail's own admin API would otherwise appear in it). The filter is generic; move it
to `portal/api/` when the public API lands."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class GraderTokenScheme(OpenApiAuthenticationExtension):
    target_class = "portal.grading.api.TokenAuthentication"
    name = "graderToken"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A grader organisation's token (axg_…), issued in the grader portal.",
        }


def only_api_paths(endpoints: list, **kwargs) -> list:
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]

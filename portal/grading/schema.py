"""OpenAPI glue: the bearer scheme of grader tokens (the filter that keeps the schema to /api/
is in `portal.opendata.schema`)."""

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

"""The public read-only API under /api/v1/: one list and one detail endpoint per dataset.

Anonymous (no authentication, no session, so no CSRF), JSON only, rate-limited per client
address. Lists are cursor-paginated over ids. Every answer carries a weak ETag, Last-Modified
and Cache-Control, computed before serialising, and a conditional request gets a 304. Errors
have the portal's API shape, {"error": {"code", "message", …}} (as the grading API's).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler
from rest_framework.viewsets import ReadOnlyModelViewSet

from . import conditional, links
from .datasets import DATASETS, Dataset
from .filters import FILTERSETS
from .pagination import IdCursorPagination
from .throttling import ClientAddressThrottle

#: Error codes that differ from DRF's `default_code`.
ERROR_CODES = {exceptions.Throttled: "rate_limited", exceptions.ValidationError: "invalid_filter"}


def handle_exception(exc: Exception, context: dict) -> Response | None:
    """DRF's handling, answered as {"error": {"code", "message", …}}: a filter error lists
    each parameter's messages under `fields`, a 429 says when to retry."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = next((c for cls, c in ERROR_CODES.items() if isinstance(exc, cls)), exc.default_code)
    error = {"code": code, "message": str(exc.detail)}
    if isinstance(exc, exceptions.ValidationError):
        error["message"] = str(_("Some query parameters are not valid; see fields."))
        error["fields"] = exc.detail
    if isinstance(exc, exceptions.Throttled):
        error["retry_after"] = exc.wait
    response.data = {"error": error}
    return response


class OpenDataView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ClientAddressThrottle]
    renderer_classes = [JSONRenderer]

    def initial(self, request, *args, **kwargs):
        # Unprefixed addresses are in the default language (docs/content.md); an API has one
        # address in every language, so its messages follow Accept-Language instead.
        translation.activate(translation.get_language_from_request(request._request))
        super().initial(request, *args, **kwargs)

    def get_exception_handler(self):
        return handle_exception


class DatasetViewSet(OpenDataView, ReadOnlyModelViewSet):
    dataset: Dataset
    pagination_class = IdCursorPagination
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = "[0-9]+"  # other ids fall through to `not_found`

    def get_queryset(self):
        return self.dataset.queryset()

    def get_serializer_class(self):
        return self.dataset.serializer_class

    def list(self, request, *args, **kwargs):
        self.paginator.check(request)
        rows = self.filter_queryset(self.get_queryset())
        return self.answer_conditionally(rows, lambda: self.page_of(rows))

    def retrieve(self, request, *args, **kwargs):
        rows = self.get_queryset().filter(pk=int(self.kwargs["pk"]))  # digits: see the regex
        return self.answer_conditionally(
            rows, lambda: Response(self.get_serializer(rows[0]).data), must_exist=True
        )

    def page_of(self, rows) -> Response:
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def answer_conditionally(self, rows, answer, must_exist: bool = False) -> Response:
        """304 when the client's copy is current; else the answer, with its validators."""
        state = conditional.validators(self.dataset, rows, self.request)
        if must_exist and not state.rows:
            raise exceptions.NotFound(_("No published item of this dataset has this id."))
        response = conditional.not_modified(self.request, state) or answer()
        return conditional.add_headers(response, state, settings.OPEN_API_MAX_AGE)


# --- OpenAPI description ---------------------------------------------------------------------

ErrorSerializer = inline_serializer(
    "OpenDataError",
    {
        "error": inline_serializer(
            "OpenDataErrorBody",
            {
                "code": serializers.CharField(help_text=_("Machine-readable error code.")),
                "message": serializers.CharField(help_text=_("What went wrong.")),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField()),
                    required=False,
                    help_text=_("For invalid_filter: each query parameter's messages."),
                ),
                "retry_after": serializers.IntegerField(
                    required=False, help_text=_("For rate_limited: seconds to wait.")
                ),
            },
        )
    },
)

VALIDATOR_HEADERS = [
    OpenApiParameter(
        "If-None-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description=_("An ETag from an earlier answer: 304 when the data has not changed."),
    ),
    OpenApiParameter(
        "If-Modified-Since",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description=_("An HTTP date: 304 when nothing changed since (If-None-Match wins)."),
    ),
    OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description=_("Weak validator of the data and the request."),
    ),
    OpenApiParameter(
        "Last-Modified",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description=_("When the data last changed, as far as the portal can tell."),
    ),
]

COMMON_RESPONSES = {
    304: OpenApiResponse(description=_("Not modified: the copy the client has is current.")),
    429: OpenApiResponse(
        ErrorSerializer, description=_("Rate limit reached; the Retry-After header says when.")
    ),
}


def schema_for(dataset: Dataset):
    """drf-spectacular's description of a dataset's two operations."""
    tag = str(dataset.name)
    return extend_schema_view(
        list=extend_schema(
            summary=format_lazy(_("List: {title}"), title=dataset.title),
            description=dataset.description,
            tags=[tag],
            parameters=VALIDATOR_HEADERS,
            responses={
                200: dataset.serializer_class(many=True),
                400: OpenApiResponse(
                    ErrorSerializer, description=_("A filter value or the cursor is not valid.")
                ),
                **COMMON_RESPONSES,
            },
        ),
        retrieve=extend_schema(
            summary=format_lazy(_("One item: {title}"), title=dataset.title),
            description=dataset.description,
            tags=[tag],
            parameters=[
                OpenApiParameter(
                    "id",
                    OpenApiTypes.INT,
                    OpenApiParameter.PATH,
                    description=_("The item's stable id."),
                ),
                *VALIDATOR_HEADERS,
            ],
            responses={
                200: dataset.serializer_class,
                404: OpenApiResponse(
                    ErrorSerializer, description=_("No published item has this id.")
                ),
                **COMMON_RESPONSES,
            },
        ),
    )


def viewset_for(dataset: Dataset) -> type[DatasetViewSet]:
    viewset = type(
        f"{dataset.name.title()}ViewSet",
        (DatasetViewSet,),
        {
            "dataset": dataset,
            "filterset_class": FILTERSETS[dataset.name],
            # Names the model for drf-spectacular; the rows come from `get_queryset`.
            "queryset": dataset.serializer_class.Meta.model.objects.none(),
            "__doc__": "",
        },
    )
    return schema_for(dataset)(viewset)


VIEWSETS = {name: viewset_for(dataset) for name, dataset in DATASETS.items()}


@extend_schema(exclude=True)
class NotFoundView(OpenDataView):
    """Any other address under /api/v1/: a 404 in the API's shape, not the HTML page."""

    def get(self, request, *args, **kwargs):
        raise exceptions.NotFound(_("There is nothing at this address of the API."))


@extend_schema(exclude=True)
class RootView(OpenDataView):
    """The datasets, their addresses and the documentation: where a harvester starts."""

    def get(self, request):
        datasets = [
            {
                "name": dataset.name,
                "title": str(dataset.title),
                "description": str(dataset.description),
                "url": links.absolute(links.api_list_path(dataset.name), request),
            }
            for dataset in DATASETS.values()
        ]
        return Response(
            {
                "datasets": datasets,
                "schema": request.build_absolute_uri("/api/schema/"),
                "docs": request.build_absolute_uri("/api/docs/"),
            }
        )

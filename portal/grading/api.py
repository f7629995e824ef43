"""The submission API for graders, under /api/grading/v1/.

Authentication is a bearer token of one organisation; every query starts from that
organisation's rows, so another organisation's records answer 404 as if they did not exist.
Errors have one shape: {"error": {"code", "message", ...}}; per-record errors are in `results`.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView, exception_handler

from portal.core import ratelimit

from . import intake, review
from .models import ApiToken, GradingScheme, IdempotencyRecord, Submission
from .serializers import (
    BatchSerializer,
    IntakeResponseSerializer,
    RecordSerializer,
    SchemeSerializer,
    SubmissionSerializer,
)


class TokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer axg_…`; revoked tokens and inactive organisations are refused."""

    def authenticate(self, request: Request) -> tuple[None, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send exactly one token after 'Bearer'.")
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed("Invalid token.") from error
        token = (
            ApiToken.objects.select_related("organisation")
            .filter(digest=ApiToken.digest_of(secret))
            .first()
        )
        if token is None or not token.organisation.is_active:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not token.is_active:
            raise exceptions.AuthenticationFailed("This token has been revoked.", "token_revoked")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return None, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="grading"'


class HasToken(BasePermission):
    def has_permission(self, request: Request, view) -> bool:
        return isinstance(request.auth, ApiToken)


class TokenRateThrottle(BaseThrottle):
    """A fixed window per token counted in the Django cache (Redis when configured), so every
    web process shares one count. `GRADING_RATE_LIMIT` is "<requests>/<sec|min|hour>"."""

    def allow_request(self, request: Request, view) -> bool:
        if not isinstance(request.auth, ApiToken):
            return True
        verdict = ratelimit.hit(
            "grading-rate", request.auth.digest[:24], settings.GRADING_RATE_LIMIT
        )
        self.retry_after = verdict.retry_after
        return verdict.allowed

    def wait(self) -> float:
        return self.retry_after


ERROR_CODES = {
    exceptions.ParseError: "malformed_json",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotFound: "not_found",
    exceptions.Throttled: "rate_limited",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
}


def error_response(code: str, message: str, status_code: int, **extra) -> Response:
    return Response({"error": {"code": code, "message": message, **extra}}, status=status_code)


def handle_exception(exc: Exception, context: dict) -> Response | None:
    """DRF's handling, with every error answered in the API's single error shape."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = next((c for cls, c in ERROR_CODES.items() if isinstance(exc, cls)), None)
    if code is None and isinstance(exc, exceptions.APIException):
        detail = exc.get_codes()
        code = detail if isinstance(detail, str) else "invalid"
    message = str(getattr(exc, "detail", exc))
    extra = {"retry_after": exc.wait} if isinstance(exc, exceptions.Throttled) else {}
    response.data = {"error": {"code": code, "message": message, **extra}}
    return response


class GraderAPIView(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [HasToken]
    throttle_classes = [TokenRateThrottle]

    def get_exception_handler(self):
        return handle_exception

    def submissions(self):
        return Submission.objects.filter(organisation=self.request.auth.organisation)

    def get_object(self, pk: int) -> Submission:
        submission = self.submissions().select_related("scheme", "product").filter(pk=pk).first()
        if submission is None:
            raise exceptions.NotFound("No record of your organisation has this id.")
        return submission


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "body_too_large"


class IdempotencyConflict(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class SubmissionPagination(PageNumberPagination):
    page_size = 100
    max_page_size = 1000
    page_size_query_param = "page_size"


class SubmissionsView(GraderAPIView):
    """List your organisation's records, or submit one record or a batch of up to 1,000."""

    pagination_class = SubmissionPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("status", enum=Submission.Status.values, required=False),
            OpenApiParameter("page", int, required=False),
            OpenApiParameter("page_size", int, required=False),
        ],
        responses=SubmissionSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        rows = self.submissions().select_related("scheme", "product")
        if request.query_params.get("status"):
            rows = rows.filter(status=request.query_params["status"])
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(SubmissionSerializer(page, many=True).data)

    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="SubmissionRequest",
            serializers=[BatchSerializer, RecordSerializer],
            resource_type_field_name=None,
        ),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="Retry with the same key and body to get the first response again.",
            )
        ],
        responses={201: IntakeResponseSerializer, 422: IntakeResponseSerializer},
    )
    def post(self, request: Request) -> Response:
        """Records are judged one by one: valid ones are accepted (pending review), invalid
        ones are reported with their errors, and nothing of an invalid record is written."""
        self.check_body_size(request)
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return self.accept(request)
        if len(key) > 200:
            return error_response("invalid", "Idempotency-Key is longer than 200.", 400)
        digest = hashlib.sha256(request.body).hexdigest()
        organisation = request.auth.organisation
        with transaction.atomic():
            try:
                # A concurrent request with the same key waits here on the unique index until
                # the first one commits (or rolls back), then replays its response.
                with transaction.atomic():
                    remembered = IdempotencyRecord.objects.create(
                        organisation=organisation, key=key, request_digest=digest
                    )
            except IntegrityError:
                remembered = IdempotencyRecord.objects.get(organisation=organisation, key=key)
            else:
                response = self.accept(request)
                remembered.status_code, remembered.response = response.status_code, response.data
                remembered.save(update_fields=["status_code", "response"])
                return response
        if remembered.request_digest != digest:
            raise IdempotencyConflict("This Idempotency-Key was used with a different body.")
        return Response(
            remembered.response,
            status=remembered.status_code,
            headers={"Idempotent-Replayed": "true"},
        )

    def check_body_size(self, request: Request) -> None:
        limit = settings.GRADING_MAX_BODY_BYTES
        try:
            length = int(request.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if length > limit:
            raise BodyTooLarge(
                f"The body is {length} bytes; at most {limit} bytes are accepted per request "
                f"(a batch of {intake.MAX_BATCH} records fits easily)."
            )

    def accept(self, request: Request) -> Response:
        data = request.data
        if isinstance(data, dict) and "records" in data:
            records = data["records"]
            if not isinstance(records, list) or not records:
                return error_response("invalid", "'records' must be a non-empty list.", 400)
        elif isinstance(data, dict):
            records = [data]
        else:
            return error_response("invalid", 'Send one record object, or {"records": [...]}.', 400)
        if len(records) > intake.MAX_BATCH:
            return error_response(
                "batch_too_large",
                f"A batch holds at most {intake.MAX_BATCH} records; this one has {len(records)}.",
                400,
                limit=intake.MAX_BATCH,
            )
        try:
            result = intake.submit(
                records, request.auth.organisation, source=Submission.Source.API, token=request.auth
            )
        except IntegrityError as error:
            # Raised, not answered, so that an Idempotency-Key is not spent on it.
            raise Conflict(
                "A concurrent request stored a record with one of these references; "
                "send the batch again to see which."
            ) from error
        return Response(result, status=201 if result["accepted"] else 422)


class SubmissionDetailView(GraderAPIView):
    @extend_schema(responses=SubmissionSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(SubmissionSerializer(self.get_object(pk)).data)


class WithdrawView(GraderAPIView):
    """Withdraw your own pending or approved record; an approved grade leaves the public pages."""

    @extend_schema(request=None, responses=SubmissionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        try:
            submission = review.withdraw(self.get_object(pk), token_prefix=request.auth.prefix)
        except ValidationError as error:
            return error_response(error.code or "invalid", error.messages[0], 409)
        return Response(SubmissionSerializer(submission).data)


class SchemesView(GraderAPIView):
    """Active grading schemes: criteria codes and weights, bands and downgrade rules."""

    @extend_schema(responses=SchemeSerializer(many=True))
    def get(self, request: Request) -> Response:
        schemes = GradingScheme.objects.filter(status=GradingScheme.Status.ACTIVE).prefetch_related(
            "criteria", "bands", "downgrade_rules", "price_bands"
        )
        return Response(SchemeSerializer(schemes, many=True).data)

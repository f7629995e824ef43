"""Shapes of the submission API; they also document it in the OpenAPI schema."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from portal.core.text import plain_text

from .models import SCORE_VALIDATORS, GradingScheme, Submission


class PlainTextField(serializers.CharField):
    """Text stored as plain text without control characters (see `text.plain_text`)."""

    def to_internal_value(self, data) -> str:
        return plain_text(super().to_internal_value(data))


class ProductRefSerializer(serializers.Serializer):
    """Either a GTIN, or the manufacturer's unified social credit code with brand and model."""

    gtin = serializers.CharField(required=False, max_length=20)
    credit_code = serializers.CharField(required=False, max_length=18)
    brand = serializers.CharField(required=False, max_length=100, allow_blank=True)
    model = serializers.CharField(required=False, max_length=200, allow_blank=True)

    def validate(self, attrs: dict) -> dict:
        if attrs.get("gtin"):
            return attrs
        if attrs.get("credit_code") and ("brand" in attrs or "model" in attrs):
            return attrs
        raise serializers.ValidationError(
            "Give a gtin, or a credit_code with brand and model.", code="product_reference"
        )


class RecordSerializer(serializers.Serializer):
    reference = PlainTextField(max_length=100)
    product = ProductRefSerializer()
    scheme = serializers.SlugField(max_length=60)
    scheme_version = serializers.IntegerField(min_value=1)
    tested_on = serializers.DateField()
    report_number = PlainTextField(max_length=100, required=False, allow_blank=True, default="")
    scores = serializers.DictField(
        child=serializers.DecimalField(
            max_digits=4, decimal_places=1, validators=SCORE_VALIDATORS, coerce_to_string=False
        ),
        allow_empty=False,
    )
    overall_score = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=Decimal(0))
    grade = serializers.CharField(max_length=20)
    comment = PlainTextField(max_length=2000, required=False, allow_blank=True, default="")
    price = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        allow_null=True,
        default=None,
        help_text="Yuan paid for the sample; places the grade in the scheme's price bands.",
    )


class BatchSerializer(serializers.Serializer):
    records = RecordSerializer(many=True)


class RecordResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    reference = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=["accepted", "rejected"])
    id = serializers.IntegerField(required=False)
    errors = serializers.ListField(child=serializers.DictField(), required=False)


class IntakeResponseSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField()
    results = RecordResultSerializer(many=True)


class SubmissionSerializer(serializers.ModelSerializer):
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    scheme_version = serializers.IntegerField(source="scheme.version", read_only=True)
    product = serializers.StringRelatedField()
    product_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "reference",
            "product_id",
            "product",
            "scheme",
            "scheme_version",
            "tested_on",
            "report_number",
            "scores",
            "overall_score",
            "grade",
            "comment",
            "price",
            "source",
            "submitted_at",
            "status",
            "decision_reason",
            "decided_at",
            "withdrawn_at",
            "manufacturer_response",
        ]
        read_only_fields = fields


class SchemeSerializer(serializers.ModelSerializer):
    criteria = serializers.SerializerMethodField()
    bands = serializers.SerializerMethodField()
    downgrade_rules = serializers.SerializerMethodField()
    price_bands = serializers.SerializerMethodField()

    class Meta:
        model = GradingScheme
        fields = ["code", "version", "name", "status", "method", "criteria", "bands"]
        fields += ["downgrade_rules", "price_bands"]

    def get_criteria(self, scheme: GradingScheme) -> list[dict]:
        return [
            {"code": c.code, "name": c.name, "weight": c.weight, "safety": c.is_safety_item}
            for c in scheme.criteria.all()
        ]

    def get_bands(self, scheme: GradingScheme) -> list[dict]:
        return [{"grade": b.label, "min_score": b.min_score} for b in scheme.bands.all()]

    def get_price_bands(self, scheme: GradingScheme) -> list[Decimal]:
        return [band.min_price for band in scheme.price_bands.all()]

    def get_downgrade_rules(self, scheme: GradingScheme) -> list[dict]:
        return [
            {"criterion": r.criterion_code or None, "below": r.below, "cap": r.cap}
            for r in scheme.downgrade_rules.all()
        ]

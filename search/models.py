from django.db import models


class PendingIndexUpdate(models.Model):
    """The outbox: a row per changed enterprise or product, written in the same transaction
    as the change, deleted only once the engine has taken the new document. While the engine
    is down rows wait here, so nothing is lost; a periodic task retries."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise"
        PRODUCT = "product"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"

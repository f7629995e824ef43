from django.db import models


class CspViolation(models.Model):
    """One Content-Security-Policy violation a browser reported (see `portal.core.csp`).

    Only the fields that locate the fault are kept, cut short; the reporter's address is not."""

    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    document_uri = models.CharField(max_length=500)
    directive = models.CharField(max_length=200)
    blocked_uri = models.CharField(max_length=500, blank=True)
    source_file = models.CharField(max_length=500, blank=True)
    line_number = models.CharField(max_length=20, blank=True)
    disposition = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.directive} on {self.document_uri}"

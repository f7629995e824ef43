from django.db import models
from django_otp.models import Device, TimestampMixin


class SecurityKey(TimestampMixin, Device):
    """A security key or passkey of one staff member or grader.

    A django-otp device, so signing in with it (`django_otp.login`) verifies the session as a
    code does and SecondFactorMiddleware needs no special case. It accepts no typed token: it is
    checked by the WebAuthn views, never by `match_token`.
    """

    # base64url of the credential ID the authenticator chose (at most 1023 bytes).
    credential_id = models.CharField(max_length=1366, unique=True)
    public_key = models.BinaryField()  # COSE-encoded
    # The authenticator's signature counter; an answer that does not raise it is refused as a
    # possible clone or replay (authenticators that keep no counter always send 0).
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "security key"

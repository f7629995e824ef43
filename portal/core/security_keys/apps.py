from django.apps import AppConfig


class SecurityKeysConfig(AppConfig):
    """WebAuthn credentials as django-otp devices (docs/staff-sign-in.md). An app of its own
    inside core, so its table and migrations stay apart from core's."""

    name = "portal.core.security_keys"
    label = "security_keys"
    verbose_name = "Security keys"

from django.apps import AppConfig
from django.core import checks

from . import signing


class ExchangeConfig(AppConfig):
    """长三角数据交换: signed feeds of warnings and failed results, exchanged with partner
    regions."""

    name = "portal.exchange"
    label = "exchange"
    verbose_name = "区域数据交换"

    def ready(self):
        checks.register(check_keys)


def check_keys(app_configs=None, **kwargs):
    """A signing key or an earlier public key that does not parse stops `manage.py check`
    (and so a deployment), not the first partner that pulls."""
    try:
        signing.our_public_keys()
    except ValueError as error:
        message = f"EXCHANGE_SIGNING_KEY or EXCHANGE_PREVIOUS_PUBLIC_KEYS: {error}"
        return [checks.Error(message, id="exchange.E001")]
    return []

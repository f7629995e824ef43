from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Consumer reports (社会监督): citizens report product problems; editors answer them."""

    name = "portal.reports"
    label = "reports"
    verbose_name = _("Consumer reports")

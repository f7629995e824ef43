from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The supervision registry: enterprises, licences, the product catalogue, products."""

    name = "portal.registry"
    label = "registry"
    verbose_name = "监管名录"

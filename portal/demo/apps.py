from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demonstration data of `manage.py load_demo`. It fills every app, so it stands on
    the top floor and nothing imports it."""

    name = "portal.demo"
    label = "demo"
    verbose_name = "Demo data"

from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    """Public enterprise and product profiles: the registry joined with spot checks, grades
    and capability assessments, so the registry itself needs none of them."""

    name = "portal.profiles"
    label = "profiles"
    verbose_name = "Public profiles"

from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks

from . import signin, subject_access
from .permissions import PermittedMenuItem
from .subject_access_views import SubjectAccessView


@hooks.register("register_log_actions")
def signin_log_actions(actions):
    for action, label in signin.ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("register_log_actions")
def personal_data_log_actions(actions):
    for action, label in subject_access.ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("register_admin_urls")
def personal_data_admin_urls():
    return [path("personal-data/", SubjectAccessView.as_view(), name="personal_data_requests")]


@hooks.register("register_settings_menu_item")
def personal_data_menu_item():
    return PermittedMenuItem(
        gettext_lazy("Personal data requests"),
        reverse("personal_data_requests"),
        icon_name="user",
        order=900,
        permission=subject_access.PERMISSION,
    )

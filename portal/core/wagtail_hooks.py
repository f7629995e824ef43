from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from . import signin, subject_access


@hooks.register("register_log_actions")
def signin_log_actions(actions):
    for action, label in signin.ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("register_account_menu_item")
def security_keys_menu_item(request):
    """The account page links to the staff member's security keys and passkeys."""
    return {
        "url": reverse("security_keys:list"),
        "label": _("Security keys and passkeys"),
        "help_text": _("Sign in with a security key or passkey instead of a code from the app."),
    }


@hooks.register("register_log_actions")
def personal_data_log_actions(actions):
    for action, label in subject_access.ACTIONS.items():
        actions.register_action(action, label, label)

from wagtail import hooks

from . import signin


@hooks.register("register_log_actions")
def signin_log_actions(actions):
    for action, label in signin.ACTIONS.items():
        actions.register_action(action, label, label)

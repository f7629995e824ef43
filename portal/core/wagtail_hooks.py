from wagtail import hooks

from . import signin, subject_access


@hooks.register("register_log_actions")
def signin_log_actions(actions):
    for action, label in signin.ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("register_log_actions")
def personal_data_log_actions(actions):
    for action, label in subject_access.ACTIONS.items():
        actions.register_action(action, label, label)

"""Staff sign-in events in Wagtail's audit log, on the account they concern, so an administrator
reads failed sign-ins and lockouts in the user's history and in the site-wide log report.

django-axes keeps its own counters (AccessAttempt); these entries are the readable trail. A
name that matches no account has no object to hang an entry on: axes' records keep those.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from wagtail.log_actions import log

ACTIONS = {
    "signin.failed": "登录失败 Sign-in failed",
    "signin.locked_out": "登录已锁定 Sign-in locked out",
    "signin.second_factor_failed": "第二步验证码错误 Second-factor code refused",
    "signin.security_key_added": "添加安全密钥 Security key added",
    "signin.security_key_removed": "删除安全密钥 Security key removed",
}


def _account(username: str | None):
    if not username:
        return None
    user_model = get_user_model()
    return user_model.objects.filter(**{user_model.USERNAME_FIELD: username}).first()


def _address(request) -> str:
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "")


def record_failure(sender, credentials, request=None, **kwargs) -> None:
    account = _account(credentials.get("username"))
    if account is not None and request is not None:
        log(account, "signin.failed", data={"address": _address(request), "path": request.path})


def record_lockout(sender, request, username, ip_address, **kwargs) -> None:
    account = _account(username)
    if account is not None:
        log(account, "signin.locked_out", data={"address": ip_address, "path": request.path})


def _record_on_own_account(request, action: str, **data) -> None:
    # On the account itself: Wagtail finds the log model by type, and request.user is a lazy proxy.
    account = _account(request.user.get_username())
    log(account, action, data={"address": _address(request), "path": request.path, **data})


def record_second_factor_failure(request) -> None:
    """A refused code, or a refused answer from a security key."""
    _record_on_own_account(request, "signin.second_factor_failed")


def record_security_key_change(request, action: str, key_name: str) -> None:
    _record_on_own_account(request, action, key=key_name)

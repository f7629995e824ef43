"""Admin views and menu items open only to users with one named permission."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from wagtail.admin.menu import MenuItem


class PermissionMixin:
    """A view that refuses users without `permission` (Wagtail answers with its dashboard)."""

    permission: str

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PermittedMenuItem(MenuItem):
    """A menu item shown only to users with `permission`."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)

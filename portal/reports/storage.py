"""Where report photos are kept: outside MEDIA_ROOT, with no public URL.

Photos may show faces, homes and receipts, so the web server never serves the folder; editors
see a photo only through the permission-checked view in `views.photo`.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """The folder is read from `REPORTS_PRIVATE_ROOT` on every use, so tests can move it."""

    @property
    def base_location(self):
        return settings.REPORTS_PRIVATE_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Report photos have no public URL; use reports:photo.")


private_storage = PrivateStorage()

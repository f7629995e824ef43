"""Where report photos are kept: outside MEDIA_ROOT, with no public URL.

Photos may show faces, homes and receipts, so the web server never serves the folder; editors
see a photo only through the permission-checked view in `views.photo`.
"""

from __future__ import annotations

from django.utils.deconstruct import deconstructible

from portal.core import storage


@deconstructible
class PrivateStorage(storage.PrivateStorage):
    """Photos have their own folder setting, `REPORTS_PRIVATE_ROOT`."""

    root_setting = "REPORTS_PRIVATE_ROOT"


private_storage = PrivateStorage()

"""Private file storage: a folder outside MEDIA_ROOT that the web server never serves.

Files stored here have no public URL; each kind is handed out only by a view that checks the
user's permission and district (see docs/personal-data.md). Names are random so a leaked or
guessed path says nothing and cannot be enumerated.
"""

from __future__ import annotations

import os
import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """The folder is read from the setting named by `root_setting` on every use, so tests can
    move it."""

    root_setting = "PRIVATE_FILES_ROOT"

    @property
    def base_location(self):
        return getattr(settings, self.root_setting)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL; use their permission-checked view.")


private_storage = PrivateStorage()


def random_name(folder: str, filename: str) -> str:
    """`folder/<32 hex><.ext>`: the uploaded name is kept in the database, not in the path."""
    suffix = PurePath(filename).suffix.lower()
    if not suffix[1:].isalnum():
        suffix = ""
    return f"{folder}/{secrets.token_hex(16)}{suffix}"


def private_file_response(fieldfile, download_name: str) -> FileResponse:
    """The file as a download nobody caches and no browser runs; 404 when it is gone."""
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=download_name)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def move_into_private_storage(model, folder: str) -> int:
    """Move the files an older release kept in public media (`model.file`) into private
    storage under random names; for the data migration. Returns how many moved."""
    public = storages["default"]
    moved = 0
    for item in model.objects.exclude(file="").only("pk", "file").iterator():
        old_name = item.file.name
        if not public.exists(old_name):
            continue  # already private, or lost before this release
        with public.open(old_name, "rb") as handle:
            new_name = private_storage.save(random_name(folder, old_name), handle)
        model.objects.filter(pk=item.pk).update(file=new_name)
        public.delete(old_name)
        moved += 1
    return moved

"""The open data page (datasets, downloads, data dictionary) and the export downloads."""

from __future__ import annotations

import datetime

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from . import exports, links
from .datasets import DATASETS
from .dictionary import dataset_fields

#: Exports change once a night; a day-old copy in a cache is still the newest but one.
MAX_AGE = 3600


@require_safe
def index(request):
    manifest = exports.read_manifest()
    exported = {entry["name"]: entry for entry in manifest["datasets"]} if manifest else {}
    datasets = [
        {
            "dataset": dataset,
            "export": exported.get(name),
            "api_path": links.api_list_path(name),
            "fields": dataset_fields(dataset),
        }
        for name, dataset in DATASETS.items()
    ]
    context = {"manifest": manifest, "datasets": datasets}
    if manifest:  # stored in UTC; shown in the portal's time zone and the page's date style
        context["generated_at"] = datetime.datetime.fromisoformat(manifest["generated_at"])
    return render(request, "opendata/index.html", context)


def _file_response(request, manifest: dict, relative: str, *, etag: str, **file_options):
    last_modified = datetime.datetime.fromisoformat(manifest["generated_at"]).timestamp()
    unchanged = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if unchanged is not None:
        return unchanged
    try:
        handle = exports.file_path(manifest, relative).open("rb")
    except (FileNotFoundError, ValueError) as error:
        # Pruned between reading the manifest and opening: the next request sees the new one.
        raise Http404(relative) from error
    response = FileResponse(handle, **file_options)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _current_manifest() -> dict:
    manifest = exports.read_manifest()
    if manifest is None:
        raise Http404("No export has been generated yet")
    return manifest


@require_safe
def download(request, name: str, extension: str):
    """One dataset file of the current generation; its SHA-256 is its ETag."""
    manifest = _current_manifest()
    for entry in manifest["datasets"]:
        for file in entry["files"]:
            if entry["name"] == name and file["format"] == extension:
                stamp = manifest["generation"][:8]
                return _file_response(
                    request,
                    manifest,
                    file["path"],
                    etag=f'"{file["sha256"]}"',
                    content_type=exports.MEDIA_TYPES[extension],
                    as_attachment=True,
                    filename=f"anxin-{name}-{stamp}.{extension}",
                )
    raise Http404(f"No export {name}.{extension}")


@require_safe
def checksums(request):
    """`SHA256SUMS` of the current generation, for `sha256sum -c`."""
    manifest = _current_manifest()
    return _file_response(
        request,
        manifest,
        manifest["checksums"],
        etag=f'"{manifest["generation"]}"',
        content_type="text/plain; charset=utf-8",
    )


@require_safe
def manifest(request):
    """The manifest: every file of the current generation with its size and SHA-256."""
    current = _current_manifest()
    return _file_response(
        request,
        current,
        exports.MANIFEST,
        etag=f'"{current["generation"]}"',
        content_type="application/json",
    )

"""Security-probe check: may an anonymous visitor fetch a private file?

For each private file kind (an import job's uploaded spreadsheet, a published batch's source
file, a consumer report's photo) it requests one real file of that kind from a running portal,
without cookies and without following redirects. A row passes when the answer is not the file:
a redirect to the sign-in page, 403 or 404.

`check(base_url)` reads one sample path per kind from the database the portal uses (Django must
be configured, as in `benchmarks/security_probe.py`); pass `samples` to probe given paths
instead. A kind with no file in the database is reported as not passed ("no sample"), so an
empty database cannot make the probe look green.
"""

from __future__ import annotations

import requests

#: Answers that do not hand the file out.
REFUSALS = {301, 302, 303, 401, 403, 404}
TIMEOUT_SECONDS = 10


def samples_from_database() -> dict[str, str | None]:
    """One path per kind, newest first; None when the kind has no file yet."""
    from django.urls import reverse

    from portal.inspections.models import ImportJob, SourceFile
    from portal.reports.models import ReportPhoto

    def newest_url(model, url_of) -> str | None:
        item = model.objects.exclude(file="").order_by("-pk").first()
        return url_of(item) if item else None

    return {
        "import upload": newest_url(
            ImportJob, lambda job: reverse("inspections_import_file", args=[job.pk])
        ),
        "batch source file": newest_url(SourceFile, lambda source: source.get_absolute_url()),
        "report photo": newest_url(ReportPhoto, lambda photo: photo.get_absolute_url()),
    }


def check(base_url: str, samples: dict[str, str | None] | None = None) -> list[tuple]:
    """Rows of (name, passed, detail), one per private file kind."""
    samples = samples_from_database() if samples is None else samples
    rows = []
    for kind, path in samples.items():
        name = f"anonymous: {kind}"
        if not path:
            rows.append((name, False, "no sample in the database"))
            continue
        url = base_url.rstrip("/") + path
        try:
            answer = requests.get(url, allow_redirects=False, timeout=TIMEOUT_SECONDS)
        except requests.RequestException as error:
            rows.append((name, False, f"{path}: {type(error).__name__}"))
            continue
        rows.append((name, answer.status_code in REFUSALS, f"{path}: HTTP {answer.status_code}"))
    return rows

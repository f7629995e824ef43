"""The security probe (issue 19, Measure): probes a running portal and prints one row per check.

    DJANGO_SETTINGS_MODULE=portal.settings.production DATABASE_URL=postgres://… \\
        .venv/bin/python benchmarks/security_probe.py https://anxin.example

Checks, each a row that passes or fails:

- **headers**, per public page type: a Content-Security-Policy whose scripts need no
  `unsafe-inline`/`unsafe-eval` and that says `frame-ancestors`, `X-Content-Type-Options:
  nosniff`, a `Referrer-Policy` (`no-referrer` and `Cache-Control: no-store` on the pages
  that show a secret), clickjacking protection, and HSTS where the address is https;
- **CSP violations**, per page type, in a real browser (Playwright on Debian's chromium): the
  `securitypolicyviolation` events and the console's CSP messages;
- **sign-in lockout**: wrong passwords on `/admin/login/` for a throwaway name, until refused,
  and the time that took. It locks that name and the probe's address for AXES_COOLOFF_HOURS;
- **private files**: one real file of each private kind fetched anonymously; anything but a
  refusal fails.

The probe reads one sample of each page type and private file kind from the portal's database
(Django configured as the portal is); a kind without a sample fails ("no sample"), so an empty
database cannot look green. Exit status 0 when every row passes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import time
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TIMEOUT_SECONDS = 30
#: Answers to a private file that do not hand it out.
REFUSALS = {301, 302, 303, 401, 403, 404}
#: Wrong passwords tried before the lockout row fails.
MAX_SIGNIN_TRIES = 20
#: Page types whose address carries or shows a secret: sent with `no-referrer`.
SECRET_PAGES = {"report received", "report status"}
#: Logged by the init script below, and by Chromium itself when it blocks something.
CSP_MESSAGE = re.compile(r"Content Security Policy|CSP violation")
REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) => console.error(
  `CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`
  + ` at ${e.sourceFile || document.URL}:${e.lineNumber}`));
"""


class Row(NamedTuple):
    check: str
    subject: str
    passed: bool
    detail: str


class PageType(NamedTuple):
    name: str
    path: str | None  # None: no sample in the database
    status: int = 200


def page_types() -> list[PageType]:
    """One address per public page type, from the database (newest sample of each)."""
    from django.conf import settings
    from django.urls import reverse

    from content.models import (
        CampaignPage,
        EducationArticlePage,
        RegulationPage,
        RiskWarningPage,
        SpotCheckNoticePage,
    )
    from portal.grading.models import Submission
    from portal.registry.models import Enterprise, Product, ProductBarcode
    from portal.supervision.models import Draw
    from portal.supervision.views import PUBLIC_STATES
    from portal.surveys.models import Survey

    def newest(queryset, url_of=lambda item: item.get_absolute_url()) -> str | None:
        item = queryset.order_by("-pk").first()
        return url_of(item) if item else None

    def live_page(model) -> str | None:
        pages = model.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE)
        return newest(pages, lambda page: page.get_url())

    enterprise = Enterprise.objects.order_by("-pk").first()
    graded = Submission.objects.filter(status=Submission.Status.APPROVED).order_by("-pk")
    sample = graded.select_related("product").first()
    comparison = side_by_side = None
    if sample:
        comparison = reverse("grading:compare", args=[sample.scheme_id, sample.product.category_id])
        pair = graded.filter(
            scheme=sample.scheme_id, product__category=sample.product.category_id
        ).values_list("product_id", flat=True)[:2]
        side_by_side = comparison + "side-by-side/?" + "&".join(f"product={p}" for p in pair)
    gtin = ProductBarcode.objects.order_by("-pk").values_list("gtin", flat=True).first()
    survey = newest(Survey.objects.filter(published=True))
    return [
        PageType("home", "/"),
        PageType("home, English", "/en/"),
        PageType("lookup results", f"/search/?q={quote(enterprise.name)}" if enterprise else None),
        PageType("product", newest(Product.objects)),
        PageType("enterprise", newest(Enterprise.objects)),
        PageType("spot-check notice", live_page(SpotCheckNoticePage)),
        PageType("risk warning", live_page(RiskWarningPage)),
        PageType("education article", live_page(EducationArticlePage)),
        PageType("campaign", live_page(CampaignPage)),
        PageType("law or rule", live_page(RegulationPage)),
        PageType("grading schemes", "/grades/"),
        PageType("grade comparison", comparison),
        PageType("grades side by side", side_by_side),
        PageType("trace and scan", "/trace/"),
        PageType("trace result", f"/trace/?code={gtin}" if gtin else None),
        PageType("report form", "/reports/new/"),
        PageType("report received", "/reports/thanks/"),
        PageType("survey", survey),
        PageType("survey results", survey + "results/" if survey else None),
        PageType("subscriptions", "/subscribe/"),
        PageType("open data", "/data/"),
        PageType("draws (supervision)", "/draws/"),
        PageType("draw", newest(Draw.objects.filter(state__in=PUBLIC_STATES))),
        PageType("partner warnings", "/partner-warnings/"),
        PageType("grader sign-in", "/grader/login/"),
        PageType("not found", "/probe-no-such-page/", status=404),
        # Last: it leaves the elderly-mode cookie in the browser.
        PageType("elderly mode", "/elderly-mode?on=1&next=/warnings/"),
    ]


def private_file_samples() -> dict[str, str | None]:
    """One address per private file kind, newest first; None when the kind has no file yet."""
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


def header_problems(headers, *, https: bool, secret: bool) -> list[str]:
    """What a response's security headers lack; empty when they are all there."""
    problems = []
    policy = headers.get("Content-Security-Policy", "")
    directives = dict(
        (part.strip() + " ").split(" ", 1) for part in policy.split(";") if part.strip()
    )
    scripts = directives.get("script-src", directives.get("default-src", ""))
    if not policy:
        problems.append("no Content-Security-Policy")
    elif not scripts or "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts:
        problems.append(f"script-src {scripts.strip() or 'missing'}")
    if headers.get("X-Content-Type-Options", "").lower() != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    referrer = headers.get("Referrer-Policy", "")
    if not referrer or (secret and referrer != "no-referrer"):
        problems.append(f"Referrer-Policy {referrer or 'missing'}")
    if secret and "no-store" not in headers.get("Cache-Control", ""):
        problems.append("no Cache-Control: no-store")
    if "frame-ancestors" not in directives and headers.get("X-Frame-Options", "").upper() not in {
        "DENY",
        "SAMEORIGIN",
    }:
        problems.append("neither frame-ancestors nor X-Frame-Options")
    if https and "max-age" not in headers.get("Strict-Transport-Security", ""):
        problems.append("no Strict-Transport-Security")
    return problems


def check_headers(base_url: str, pages: list[PageType]) -> list[Row]:
    rows = []
    https = base_url.startswith("https:")
    for page in pages:
        if not page.path:
            rows.append(Row("headers", page.name, False, "no sample in the database"))
            continue
        try:
            answer = requests.get(base_url + page.path, timeout=TIMEOUT_SECONDS)
        except requests.RequestException as error:
            rows.append(Row("headers", page.name, False, f"{page.path}: {type(error).__name__}"))
            continue
        problems = header_problems(answer.headers, https=https, secret=page.name in SECRET_PAGES)
        if answer.status_code != page.status:
            problems.insert(0, f"HTTP {answer.status_code}")
        detail = "; ".join(problems) or f"HTTP {answer.status_code}, all present"
        rows.append(Row("headers", page.name, not problems, f"{page.path}: {detail}"))
    return rows


def watch_csp(page) -> list[str]:
    """Collect, as they come, the CSP violations of every document the page loads."""
    seen: list[str] = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: seen.append(message.text) if CSP_MESSAGE.search(message.text) else None,
    )
    return seen


def launch_chromium(playwright):
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    return playwright.chromium.launch(
        executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
    )


def check_csp_violations(base_url: str, pages: list[PageType]) -> list[Row]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_context(locale="zh-CN").new_page()
        page.set_default_timeout(TIMEOUT_SECONDS * 1000)
        seen = watch_csp(page)
        for item in pages:
            if not item.path:
                rows.append(Row("CSP violations", item.name, False, "no sample in the database"))
                continue
            seen.clear()
            page.goto(base_url + item.path)
            page.wait_for_load_state("networkidle")
            detail = f"{item.path}: {len(seen)}" + (f" — {seen[0]}" if seen else "")
            rows.append(Row("CSP violations", item.name, not seen, detail))
        browser.close()
    return rows


def _post_wrong_password(session: requests.Session, url: str, username: str) -> int:
    page = session.get(url, timeout=TIMEOUT_SECONDS).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = {"csrfmiddlewaretoken": token, "username": username, "password": "wrong-on-purpose"}
    return session.post(
        url, data=data, headers={"Referer": url}, timeout=TIMEOUT_SECONDS
    ).status_code


def check_signin_lockout(base_url: str, username: str = "probe-lockout") -> list[Row]:
    """After how many wrong passwords `/admin/login/` refuses (429), and how long that took."""
    url = base_url + "/admin/login/"
    session = requests.Session()
    started = time.perf_counter()
    for tries in range(1, MAX_SIGNIN_TRIES + 1):
        if _post_wrong_password(session, url, username) == 429:
            seconds = time.perf_counter() - started
            return [
                Row("sign-in", "lockout", True, f"locked after {tries} failures"),
                Row("sign-in", "time to lock", True, f"{seconds:.1f} s (wall clock)"),
            ]
    return [
        Row("sign-in", "lockout", False, f"not locked after {MAX_SIGNIN_TRIES} failures"),
        Row("sign-in", "time to lock", False, "never"),
    ]


def check_private_files(base_url: str, samples: dict[str, str | None]) -> list[Row]:
    """Each private file kind fetched without cookies and without following redirects."""
    rows = []
    for kind, path in samples.items():
        if not path:
            rows.append(Row("anonymous file", kind, False, "no sample in the database"))
            continue
        try:
            answer = requests.get(base_url + path, allow_redirects=False, timeout=TIMEOUT_SECONDS)
        except requests.RequestException as error:
            rows.append(Row("anonymous file", kind, False, f"{path}: {type(error).__name__}"))
            continue
        passed = answer.status_code in REFUSALS
        rows.append(Row("anonymous file", kind, passed, f"{path}: HTTP {answer.status_code}"))
    return rows


def probe(
    base_url: str,
    *,
    extra_pages: list[PageType] = (),
    browser: bool = True,
    lockout_user: str = "probe-lockout",
) -> list[Row]:
    """Every row, in the order printed. The lockout comes last: it locks the probe's address."""
    base_url = base_url.rstrip("/")
    pages = page_types() + list(extra_pages)
    rows = check_headers(base_url, pages)
    if browser:
        rows += check_csp_violations(base_url, pages)
    rows += check_private_files(base_url, private_file_samples())
    return rows + check_signin_lockout(base_url, lockout_user)


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table, ready for docs/security.md."""
    lines = ["| check | subject | result | detail |", "|---|---|---|---|"]
    for row in rows:
        verdict = "pass" if row.passed else "**FAIL**"
        detail = row.detail.replace("|", "\\|")
        lines.append(f"| {row.check} | {row.subject} | {verdict} | {detail} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the portal's address, e.g. https://anxin.example")
    parser.add_argument("--no-browser", action="store_true", help="skip the CSP browser rows")
    parser.add_argument("--lockout-user", default="probe-lockout", help="name the probe locks")
    parser.add_argument(
        "--page",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="one more page to probe, e.g. 'report status=/reports/status/#<token>'",
    )
    args = parser.parse_args()
    extra = []
    for item in args.page:
        name, _, path = item.partition("=")
        if not path.startswith("/"):
            parser.error(f"--page {item!r}: give NAME=/path/")
        extra.append(PageType(name, path))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
    import django  # after the arguments: --help needs no settings

    django.setup()
    rows = probe(
        args.url, extra_pages=extra, browser=not args.no_browser, lockout_user=args.lockout_user
    )
    print(table(rows))
    failed = sum(not row.passed for row in rows)
    print(f"\n{len(rows) - failed} of {len(rows)} rows pass.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

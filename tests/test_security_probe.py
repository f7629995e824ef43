"""The security probe's verdicts on headers, and its rows when there is nothing to probe:
a missing protection fails its row (the live run is tests/e2e/test_security_probe.py)."""

import pytest

from benchmarks.security_probe import check_private_files, header_problems, private_file_samples

GOOD = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def test_complete_headers_pass():
    assert header_problems(GOOD, https=False, secret=False) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            {"Content-Security-Policy": "", "X-Frame-Options": "SAMEORIGIN"},
            "no Content-Security-Policy",
        ),
        (
            {"Content-Security-Policy": "script-src 'self' 'unsafe-inline'; frame-ancestors *"},
            "script-src 'self' 'unsafe-inline'",
        ),
        ({"Content-Security-Policy": "frame-ancestors 'self'"}, "script-src missing"),
        ({"X-Content-Type-Options": ""}, "no X-Content-Type-Options: nosniff"),
        ({"Referrer-Policy": ""}, "Referrer-Policy missing"),
        (
            {"Content-Security-Policy": "default-src 'self'"},
            "neither frame-ancestors nor X-Frame-Options",
        ),
    ],
)
def test_each_missing_protection_fails(change, problem):
    assert header_problems({**GOOD, **change}, https=False, secret=False) == [problem]


def test_secret_pages_need_no_referrer_and_no_store_and_https_needs_hsts():
    assert header_problems(GOOD, https=False, secret=True) == [
        "Referrer-Policy same-origin",
        "no Cache-Control: no-store",
    ]
    secret = {**GOOD, "Referrer-Policy": "no-referrer", "Cache-Control": "max-age=0, no-store"}
    assert header_problems(secret, https=False, secret=True) == []
    assert header_problems(GOOD, https=True, secret=False) == ["no Strict-Transport-Security"]
    hsts = {**GOOD, "Strict-Transport-Security": "max-age=31536000; includeSubDomains"}
    assert header_problems(hsts, https=True, secret=False) == []


@pytest.mark.django_db
def test_a_private_file_kind_without_a_sample_fails_rather_than_passing_silently():
    samples = private_file_samples()
    assert set(samples) == {"import upload", "batch source file", "report photo"}
    rows = check_private_files("http://127.0.0.1:9", samples)
    assert [(row.subject, row.passed, row.detail) for row in rows] == [
        (kind, False, "no sample in the database") for kind in samples
    ]

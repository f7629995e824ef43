"""Sign-in lockout rows for the security probe: how many wrong passwords /admin/login/ takes
before it refuses, and how long that took. Run against a portal with a throwaway account name;
the probe locks that name (and the probe's address) for AXES_COOLOFF_HOURS.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

MAX_TRIES = 20


def _post_wrong_password(opener, url: str, username: str) -> int:
    page = opener.open(url).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": "wrong-on-purpose"}
    ).encode()
    request = urllib.request.Request(url, data=body, headers={"Referer": url})
    try:
        return opener.open(request).status
    except urllib.error.HTTPError as error:
        return error.code


def check(base_url: str, username: str = "probe-lockout") -> list[tuple[str, bool, str]]:
    """Rows (name, passed, detail): locks within MAX_TRIES failures, and the seconds it took."""
    url = base_url.rstrip("/") + "/admin/login/"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    started = time.perf_counter()
    for tries in range(1, MAX_TRIES + 1):
        if _post_wrong_password(opener, url, username) == 429:
            seconds = time.perf_counter() - started
            return [
                ("sign-in lockout", True, f"locked after {tries} failures"),
                ("time to lock", True, f"{seconds:.1f} s (wall clock)"),
            ]
    return [
        ("sign-in lockout", False, f"not locked after {MAX_TRIES} failures"),
        ("time to lock", False, "never"),
    ]

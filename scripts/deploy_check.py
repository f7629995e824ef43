"""`make deploy-check`: bring the deploy/ stack up on loopback and smoke-test it through nginx.

Uses the database, broker and engine of the environment (DATABASE_URL, CELERY_BROKER_URL,
...), migrates it, then checks: health through the proxy, a static file served by nginx, an
anonymous page cached on its second read, the admin never cached, one worker answering per queue.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.harness.base import ROOT
from scripts.harness.deploy import QUEUES, Stack


def get(url: str) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def consumed_queues(app) -> set[str]:
    replies = app.control.inspect(timeout=2).active_queues() or {}
    return {queue["name"] for queues in replies.values() for queue in queues}


def check(condition: bool, what: str) -> None:
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        raise SystemExit(1)


def main() -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    }
    web_port = int(os.environ.get("DEPLOY_WEB_PORT", "8201"))
    proxy_port = int(os.environ.get("DEPLOY_PROXY_PORT", "8280"))
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
    )
    with Stack(env, web_port=web_port, proxy_port=proxy_port) as stack:
        status, headers = get(stack.proxy_url + "/healthz")
        check(
            status == 200 and "max-age" in headers.get("Strict-Transport-Security", ""),
            f"health through the proxy, with the TLS headers ({status})",
        )
        status, headers = get(stack.proxy_url + "/static/css/portal.css")
        check(status == 200 and "X-Cache-Status" not in headers, "static file served by nginx")
        get(stack.proxy_url + "/")
        status, headers = get(stack.proxy_url + "/")
        check(headers.get("X-Cache-Status") == "HIT", f"home cached on the second read ({status})")
        status, headers = get(stack.proxy_url + "/admin/login/")
        check(status == 200 and "X-Cache-Status" not in headers, "admin login not cached")
        from portal.celery import app  # after Django's settings are chosen

        deadline = time.monotonic() + 120
        queues = consumed_queues(app)
        while not set(QUEUES) <= queues and time.monotonic() < deadline:
            queues = consumed_queues(app)
        check(set(QUEUES) <= queues, f"a worker consumes each queue ({sorted(queues)})")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    main()

"""Seconds from `make run` to the first page and to a lookup answered by the search engine.

    SEARCH_URL=http://127.0.0.1:9251 python3 benchmarks/make_run_bench.py /tmp/clone \\
        --addr 127.0.0.1:8765 [--no-java]

Runs `make run` in CHECKOUT (a fresh clone for first-run figures, the same one again for
second-run figures) with `RUN_ADDR=ADDR`, polls `http://ADDR/` until it answers 200 and
`/search/?q=海尔` until it answers without the database-fallback notice, then stops make run
with SIGINT, as Ctrl-C does, and checks that no OpenSearch node of the checkout is left.
Point SEARCH_URL at a free port so that the node is started (the default 9200 may be an engine
that is reused). `--no-java` hides `java` and `mvn` from PATH. make run's output goes to
CHECKOUT/make-run.log.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

DEADLINE = 900
FALLBACK_NOTICE = b"notice-degraded"


def path_without(hidden: set[str], folder: Path) -> str:
    """PATH with the hidden commands left out: each folder holding one is replaced by FOLDER,
    which links that folder's other commands (folders without one are kept, so that a
    virtualenv made during the run does not point into FOLDER)."""
    directories = []
    for directory in map(Path, os.environ["PATH"].split(os.pathsep)):
        if not any((directory / name).exists() for name in hidden):
            directories.append(str(directory))
            continue
        for command in directory.glob("*"):
            link = folder / command.name
            if command.name not in hidden and not link.exists() and os.access(command, os.X_OK):
                link.symlink_to(command)
        if str(folder) not in directories:
            directories.append(str(folder))
    return os.pathsep.join(directories)


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""
    except OSError:
        return 0, b""


def node_processes(checkout: Path) -> list[str]:
    """Command lines of OpenSearch nodes launched from CHECKOUT that are still running."""
    lines = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "OpenSearchNode.java" in text and str(checkout) in text:
            lines.append(text)
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout", type=Path)
    parser.add_argument("--addr", default="127.0.0.1:8000")
    parser.add_argument("--no-java", action="store_true", help="hide java and mvn from PATH")
    args = parser.parse_args()
    checkout = args.checkout.resolve()
    env = {**os.environ, "RUN_ADDR": args.addr}
    links = tempfile.TemporaryDirectory(prefix="anxin-path-")
    if args.no_java:
        env["PATH"] = path_without({"java", "mvn"}, Path(links.name))
    base = f"http://{args.addr}"
    search_url = os.environ.get("SEARCH_URL", "http://127.0.0.1:9200")

    started = time.monotonic()
    with (checkout / "make-run.log").open("wb") as log:
        make = subprocess.Popen(
            ["make", "run"],
            cwd=checkout,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, to send it Ctrl-C's SIGINT
        )
    first_page = lookup = None
    lookup_from_engine = False
    try:
        while time.monotonic() - started < DEADLINE and make.poll() is None:
            if first_page is None and fetch(base + "/")[0] == 200:
                first_page = time.monotonic() - started
            if first_page is not None:
                status, body = fetch(base + "/search/?q=" + quote("海尔"))
                if status == 200:
                    lookup = time.monotonic() - started
                    lookup_from_engine = FALLBACK_NOTICE not in body
                    if lookup_from_engine or args.no_java:
                        break
            time.sleep(0.5)
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGINT)
        status = make.wait(timeout=120)
        links.cleanup()
    time.sleep(1)
    port = urlsplit(search_url).port
    left = node_processes(checkout)
    print(
        f"make run in {checkout} ({'no java' if args.no_java else 'java'}, "
        f"SEARCH_URL={search_url}): first page 200 after {first_page and round(first_page, 1)} s; "
        f"/search/?q=海尔 after {lookup and round(lookup, 1)} s, "
        f"{'from the engine' if lookup_from_engine else 'from the database'}; "
        f"make run exited {status} on SIGINT; node processes left: {len(left)} (port {port})"
    )
    return 0 if first_page and not left else 1


if __name__ == "__main__":
    sys.exit(main())

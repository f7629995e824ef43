"""Backup and restore times: `manage.py backup` of the loaded site, then `manage.py restore`
into a new empty database, new file folders and a new index prefix on the same engine.

    DATABASE_URL=postgres://postgres@127.0.0.1:5441/anxin_bench \\
    CELERY_BROKER_URL=redis://127.0.0.1:6391/0 SEARCH_URL=http://127.0.0.1:9251 \\
        .venv/bin/python scripts/services.py bench --data-dir /work/bench-ops/data -- \\
        .venv/bin/python benchmarks/backup_bench.py --work /work/bench-ops/runs

Each command runs in a process of its own, as an operator runs it; printed per command: wall
clock, CPU time (user + system of the command and its children: pg_dump, pg_restore) and,
for the set, its size and number of files. `--rebuild` restores without the engine snapshot
(the lookup and page indexes rebuilt from the database instead). The restored database and
prefix are dropped after.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(label: str, args: list[str], env: dict[str, str]) -> str:
    started, cpu = time.monotonic(), cpu_seconds()
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    wall, cpu = time.monotonic() - started, cpu_seconds() - cpu
    if done.returncode:
        sys.exit(f"{label} failed:\n{done.stdout}{done.stderr}")
    print(f"{label}: {wall:.1f} s wall clock, {cpu:.1f} s CPU")
    return done.stdout + done.stderr


def psql(server: str, statement: str) -> None:
    subprocess.run(["psql", f"{server}/postgres", "-qc", statement], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="where sets and copies go")
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="restore without SEARCH_SNAPSHOT_PATH: the index is rebuilt from the database",
    )
    args = parser.parse_args()
    run = args.work / uuid.uuid4().hex[:8]
    server, name = os.environ["DATABASE_URL"].rsplit("/", 1)
    restored = f"{name}_restored_{run.name}"
    live = dict(os.environ)
    output = timed("backup", ["backup", str(run / "set")], live)
    files = [p for p in (run / "set").rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    print(f"set: {len(files)} files, {size / 1e6:.1f} MB; {output.strip().splitlines()[-1]}")

    psql(server, f'CREATE DATABASE "{restored}"')
    new = {
        "DATABASE_URL": f"{server}/{restored}",
        "SEARCH_INDEX_PREFIX": f"{os.environ.get('SEARCH_INDEX_PREFIX', 'anxin')}-{run.name}",
        **({"SEARCH_SNAPSHOT_PATH": ""} if args.rebuild else {}),
        **{
            variable: str(run / "new" / variable.lower())
            for variable in (
                "MEDIA_ROOT",
                "OPEN_DATA_ROOT",
                "REPORTS_PRIVATE_ROOT",
                "PRIVATE_FILES_ROOT",
            )
        },
    }
    try:
        output = timed("restore", ["restore", str(run / "set")], {**live, **new})
        print("\n".join(line for line in output.splitlines() if line.startswith("engine:")))
    finally:
        psql(server, f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
        search = urlsplit(os.environ["SEARCH_URL"])._replace(
            path=f"/{new['SEARCH_INDEX_PREFIX']}-*"
        )
        delete = ["curl", "-s", "-o", "/dev/null", "-X", "DELETE", search.geturl()]
        subprocess.run(delete, check=False)


if __name__ == "__main__":
    main()

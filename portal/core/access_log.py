"""gunicorn's access log without private link tokens (deploy/gunicorn.conf.py `logger_class`).

The report-status token is no longer in any URL the portal writes (it travels in the link's
fragment and a POST), but links sent before that still arrive as /reports/status/<token>/;
every value of the log entry (request line, path, referrer and other headers) names such a
path with the token replaced, so an old link does not put a live token in the log either.
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

PRIVATE_PATH = re.compile(r"(/reports/status/)[^/?#\s\"]+")
REDACTED = r"\1[redacted]"


def redact(text: str) -> str:
    return PRIVATE_PATH.sub(REDACTED, text)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}

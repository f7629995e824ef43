"""gunicorn settings for the portal (`gunicorn -c deploy/gunicorn.conf.py portal.wsgi`).

Every value can be overridden from the environment (deploy/anxin.env), so the systemd unit and
a loopback check start the same command.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Synchronous workers: page rendering is CPU-bound and the cache in front absorbs read bursts.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Load Django once in the master, so a worker forks warm (see docs/performance.md).
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The proxy sets these; only trust them from the proxy on the same host.
forwarded_allow_ips = "127.0.0.1"
# gunicorn (27 here) opens a control socket for gunicornc in $HOME/.gunicorn or $XDG_RUNTIME_DIR by
# default; systemd restarts and signals are our controls, so no socket is left for others to use.
control_socket_disable = True
accesslog = "-"
# Old report-status links carry a private token in the path: logged as [redacted].
logger_class = "portal.core.access_log.RedactingLogger"
errorlog = "-"

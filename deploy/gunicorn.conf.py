"""gunicorn settings for Nashir, read from the environment.

    gunicorn -c deploy/gunicorn.conf.py

Used as is by the systemd unit (deploy/systemd/nashir.service) and by
scripts/stack.py, so the local stack runs what production runs.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

wsgi_app = "nashir.wsgi:application"
chdir = str(ROOT)

bind = os.environ.get("NASHIR_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("NASHIR_WORKERS") or 2 * (os.cpu_count() or 1) + 1)
# "sync" answers one request per connection and closes it; "gthread" keeps
# connections alive (nginx's upstream keepalive, readers hitting gunicorn directly).
worker_class = os.environ.get("NASHIR_WORKER_CLASS", "sync")
threads = int(os.environ.get("NASHIR_THREADS") or 1)
keepalive = 5
# Django and Wagtail are imported once in the master; workers share those
# pages of memory after the fork. Nothing opens a database connection at
# import time, so no connection is inherited.
preload_app = True
# A worker is replaced after this many requests (spread out so that they are
# not all replaced at once), which bounds slow memory growth.
max_requests = 20000
max_requests_jitter = 2000
timeout = 30
graceful_timeout = 30

# The application writes its own request line to stderr through Django's
# logging; gunicorn's access log would only repeat it.
accesslog = None
errorlog = "-"
# The same level as the application's own log.
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# Only nginx may say which scheme the reader used (on this machine, or at the
# addresses listed when nginx runs elsewhere), and only through the one header
# it overwrites: gunicorn's other defaults (X-Forwarded-Ssl,
# X-Forwarded-Protocol) would pass through from the client.
forwarded_allow_ips = os.environ.get("NASHIR_FORWARDED_ALLOW_IPS", "127.0.0.1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

proc_name = "nashir"

# gunicorn's control socket (for `gunicornc`) defaults to a path under $HOME,
# which the service may not write; it is opened only where one is named.
control_socket = os.environ.get("NASHIR_CONTROL_SOCKET", "")
control_socket_disable = not control_socket


def worker_exit(server, worker):
    """Write this worker's buffered article reads before it goes.

    Without Redis each worker keeps its reads in memory until its next
    periodic flush; a worker replaced after `max_requests`, or stopped with
    the service, would lose them. gunicorn also calls this hook in the master
    for a worker that has already gone: the master must not open a database
    connection that later workers would inherit, hence the pid test.
    """
    if worker.pid != os.getpid():
        return
    from readership.services import views_flush

    try:
        views_flush()
    except Exception:
        server.log.exception("Could not write the buffered article reads of worker %s", worker.pid)

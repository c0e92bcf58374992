"""gunicorn's settings for Lantern in production (``make serve-production``; docs/deploy.md).

Read from the environment like Lantern's own settings: ``LANTERN_BIND`` (default 127.0.0.1:8000, behind
the TLS proxy), ``LANTERN_WORKERS`` (default two per CPU plus one), ``LANTERN_THREADS`` (default 4),
``LANTERN_FORWARDED_ALLOW_IPS`` (the proxy's address, trusted for X-Forwarded-Proto; default 127.0.0.1).
"""

from __future__ import annotations

import multiprocessing
import os

wsgi_app = "lantern.config.wsgi:application"
bind = [os.environ.get("LANTERN_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("LANTERN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
# Threads let a worker go on serving while one request waits on the database or renders a PDF.
worker_class = "gthread"
threads = int(os.environ.get("LANTERN_THREADS", "4"))
# A PDF of a long chronology takes seconds; nothing takes a minute.
timeout = 60
graceful_timeout = 30
# A worker is replaced after this many requests (with jitter, so not all at once): memory stays flat.
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("LANTERN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# Query strings carry search terms (names, dates of birth): the access log has paths only.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

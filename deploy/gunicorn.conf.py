"""gunicorn settings for Stillpoint: ``gunicorn --config deploy/gunicorn.conf.py wsgi:app``.

Every value comes from the environment, so ``bin/serve``, the Procfile and the systemd
units share this file.
"""

import os

from prometheus_client import multiprocess

bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Recycle workers now and then, so slow leaks cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# The app writes one JSON access line per request, with its request id; gunicorn's own
# access log would repeat it without. Errors (worker boots and crashes) go to stderr.
accesslog = None
# No control socket (gunicorn 24+): several instances on one host would share its default path.
control_socket_disable = True
errorlog = "-"
# X-Forwarded-Proto from these addresses sets the scheme (https) for gunicorn itself;
# the app honours X-Forwarded-For/-Host only through TRUSTED_PROXY_COUNT (ProxyFix).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def child_exit(server, worker):
    """A worker is gone: let the Prometheus client merge its figures as a dead process's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)

"""Gunicorn's configuration: read by scripts/serve.sh, the one command that the Dockerfile,
docker-compose.yml and CI all use to serve Lootwatch, so that the three cannot drift apart."""

import os

# Loopback unless told otherwise: the container sets 0.0.0.0:8000 for its published port.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Threads per worker (GUNICORN_THREADS): above 1, gunicorn's threaded worker, whose threads
# keep the cores busy while another request of the same worker waits for PostgreSQL; each
# thread keeps its own database connection (CONN_MAX_AGE).
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# A request that needs more than 30 s is stuck; the database and Redis time out well before.
timeout = 30
graceful_timeout = 20
# Recycle workers now and then so that a slow leak cannot grow for months.
max_requests = 2000
max_requests_jitter = 200

# Each worker loads the gazetteer (incidents.gazetteer: ~3 s and a few hundred MB) once,
# after loading the application and before taking its first request, rather than in the
# request of the first place look-up. GAZETTEER_PRELOAD=0 leaves it to that first look-up
# (the operations tests, which start gunicorn often and never look a place up).
preload_gazetteer = os.environ.get("GAZETTEER_PRELOAD", "1") != "0"


def post_worker_init(worker):
    if preload_gazetteer:
        from incidents.gazetteer import load

        load()


# No runtime control socket: nothing here uses gunicornc, and every instance on a machine would
# otherwise share one default path (two servers, or CI beside a developer, would collide).
control_socket_disable = True

# No gunicorn access log: the application writes one JSON access line per request with its
# request id (lootwatch.middleware.RequestLogMiddleware), where gunicorn's would repeat each
# request with its full query string (search terms, names).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "lootwatch.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
    },
}

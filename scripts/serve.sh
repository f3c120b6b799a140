#!/bin/sh
# Serve Lootwatch with gunicorn: the one command that the Dockerfile, docker-compose.yml and
# .ci/run use (settings in lootwatch/gunicorn.conf.py; GUNICORN_BIND and WEB_CONCURRENCY
# choose the address and the number of workers). Static files must have been collected.
set -e
cd "$(dirname "$0")/.."
exec gunicorn --config lootwatch/gunicorn.conf.py lootwatch.wsgi:application "$@"

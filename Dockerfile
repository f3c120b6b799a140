# Lootwatch web application, served by gunicorn (scripts/serve.sh, the same command compose and
# CI use). Static files are collected at build time and served by WhiteNoise; uploaded evidence
# lives in the /app/media volume.
# Bookworm: its postgresql-client is 15, the server's version, for `manage.py backup`/`restore`;
# Pango and the DejaVu fonts for WeasyPrint, which renders the incident dossiers; gettext
# compiles the translations.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    GUNICORN_BIND=0.0.0.0:8000

RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client gettext \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY lootwatch ./lootwatch
COPY incidents ./incidents
COPY claims ./claims
COPY webhooks ./webhooks
RUN pip install .
COPY . .

# collectstatic and compilemessages need settings that load; these build-time values never
# reach run time.
RUN DEBUG=0 SECRET_KEY=build-only-$(python -c "import secrets; print(secrets.token_hex(32))") \
    ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py compilemessages --verbosity 0
RUN DEBUG=0 SECRET_KEY=build-only-$(python -c "import secrets; print(secrets.token_hex(32))") \
    ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --no-input

RUN useradd --system --uid 10001 lootwatch && mkdir -p /app/media && chown lootwatch /app/media
USER lootwatch

EXPOSE 8000
CMD ["scripts/serve.sh"]

# Lootwatch web application, served by gunicorn. Static files are collected at build time
# and served by WhiteNoise; uploads live in the /app/media volume.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY lootwatch ./lootwatch
COPY incidents ./incidents
COPY claims ./claims
RUN pip install .
COPY . .

# collectstatic needs settings that load; these build-time values never reach run time.
RUN DEBUG=0 SECRET_KEY=build-only-$(python -c "import secrets; print(secrets.token_hex(32))") \
    ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --no-input

RUN useradd --system --uid 10001 lootwatch && mkdir -p /app/media && chown lootwatch /app/media
USER lootwatch

EXPOSE 8000
CMD ["gunicorn", "lootwatch.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

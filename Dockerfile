# syntax=docker/dockerfile:1
# The newsfacts API. `docker compose up --build` runs it with PostgreSQL (docker-compose.yml).

# --- builder: a virtualenv with the locked dependencies and the project --------------------
FROM python:3.11-slim AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /app

# Every file of the lock is fetched and checked against its hash. The lock holds the dev tools
# too (pytest, mypy, ...); only what the project needs at run time is then installed from
# those checked files, with no index: no other version and no other file can get in.
COPY requirements.lock ./
RUN pip download --require-hashes --no-deps --dest /tmp/wheels -r requirements.lock

COPY pyproject.toml setup.py README.md ./
COPY app ./app
COPY migrations ./migrations
# Editable, as `make install` does: the migrations are found next to the app package, so the
# runtime stage keeps both in /app, at the same path as here.
RUN pip install --no-index --find-links /tmp/wheels --editable . \
    && python -m compileall -q app migrations

# --- runtime: the virtualenv and the application files, run as an unprivileged user --------
FROM python:3.11-slim AS runtime

RUN groupadd --system --gid 10001 newsfacts \
    && useradd --system --uid 10001 --gid newsfacts --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin newsfacts

# NEWSFACTS_WORKERS is read by `newsfacts serve --workers`.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    NEWSFACTS_WORKERS=2

WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app/app ./app
COPY --from=builder /app/migrations ./migrations

USER 10001:10001
EXPOSE 8000

# slim has no curl: Python's urllib asks /readyz (database reachable and migrated).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status == 200 else 1)"]

# Serves what is in the database: `newsfacts migrate` and `newsfacts load` fill it (compose's
# one-shot `migrate` service runs them). serve also migrates, so a fresh database just works.
CMD ["newsfacts", "serve", "--host", "0.0.0.0", "--port", "8000", "--no-seed"]

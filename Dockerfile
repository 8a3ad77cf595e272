# StakeEasy production image: dependencies are built in a throw-away stage; the runtime stage holds the
# virtualenv and the app's own files only, and runs as a non-root user.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /venv
WORKDIR /src
COPY requirements.lock ./
# Exactly the locked dependencies, every file checked against its hash; the app itself is not installed:
# it runs from /app, where it finds templates/, static/ and migrations/ beside it.
RUN /venv/bin/pip install --require-hashes -r requirements.lock

FROM python:3.11-slim
ENV PATH=/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 STAKEEASY_ENV=production
RUN useradd --create-home --uid 10001 stakeeasy
WORKDIR /app
COPY --from=build /venv /venv
COPY alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
USER stakeeasy
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"]
# SIGTERM: uvicorn stops accepting, finishes in-flight requests (up to 20 s), then exits.
STOPSIGNAL SIGTERM
# WEB_CONCURRENCY worker processes share the port (app/server.py keeps TCP_NODELAY on for all of them).
CMD ["python", "-m", "app", "serve", "--host", "0.0.0.0", "--port", "8000"]

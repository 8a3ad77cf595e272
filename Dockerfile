# StakeEasy production image. (Issue 9 hardens this further: multi-stage build, healthcheck, lock file.)
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 STAKEEASY_ENV=production
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
# Editable install: the app reads templates/, static/ and migrations/ beside the package.
RUN pip install --no-cache-dir -e . && useradd --create-home --uid 10001 stakeeasy
USER stakeeasy
EXPOSE 8000
CMD ["stakeeasy", "serve", "--host", "0.0.0.0", "--port", "8000"]

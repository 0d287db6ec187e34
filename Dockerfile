# The production image: gunicorn for the web, the same image for Celery worker and beat.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app:/app/platform DJANGO_SETTINGS_MODULE=config.settings.production
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends build-essential curl \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir . || true
COPY . .
RUN pip install --no-cache-dir . \
    && pybabel -q compile -d locale -D django \
    && SECRET_KEY=build DATABASE_URL=postgresql://build@localhost/build \
       python manage.py collectstatic --noinput -v0
RUN useradd --create-home essaim && chown -R essaim /app
USER essaim
EXPOSE 8000
CMD ["gunicorn", "-c", "python:config.gunicorn_conf", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]

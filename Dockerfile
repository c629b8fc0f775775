# Production image: gunicorn behind a load balancer, static files by whitenoise.
# Build: docker build -t kyoso .   (not run on the development machines: no Docker engine)
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=kyoso_site.settings.production \
    PORT=8000

# gettext for compilemessages; pango and Noto CJK for Japanese PDF invoices.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 kyoso
WORKDIR /app

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY --chown=kyoso:kyoso . .

# Build-time only values: collectstatic needs settings to import, not real secrets.
RUN SECRET_KEY=build-only-not-a-secret-value-0123456789abcdefghijklmnopqrstuvwxyz \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput -v0 \
    && python manage.py compilemessages --ignore=.venv -v0 \
    && mkdir -p /app/var/media && chown -R kyoso:kyoso /app/var

USER kyoso
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD python -c "import urllib.request,os; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"

# scripts/web: gunicorn with deploy/gunicorn.conf.py (gthread workers, preload + gc.freeze);
# PORT, WEB_CONCURRENCY, WEB_THREADS and WEB_PRELOAD adjust it.
CMD ["scripts/web"]

# The portal's image: one image for web (gunicorn), worker and beat (celery); see docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=bethune_portal.settings.prod

# WeasyPrint renders the PDFs with Pango/HarfBuzz; DejaVu has every glyph of French text;
# gettext compiles the French messages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 portal
WORKDIR /app

# Dependencies first, exactly the versions of uv.lock (hashes checked), without the dev extra: this layer is
# rebuilt only when uv.lock or pyproject.toml changes. uv (pinned like in the Makefile) only writes the list.
COPY pyproject.toml uv.lock ./
RUN pip install uv==0.13.9 \
    && uv export --frozen --no-dev --no-emit-project --format requirements-txt --quiet -o /tmp/requirements.txt \
    && pip uninstall -y uv \
    && pip install --require-hashes -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
# Messages and static files are built into the image. The settings need a key, hosts and a database
# to load: these dummy values only let them load here; the running containers get the real ones.
RUN pip install --no-deps . \
    && export SECRET_KEY=build-only-not-a-secret ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    && if [ -d locale ]; then python manage.py compilemessages --ignore=.venv --verbosity 0; fi \
    && python manage.py collectstatic --noinput --verbosity 0 \
    && rm -f /tmp/build.sqlite3 \
    && mkdir -p /app/media && chown -R portal:portal /app/media

USER portal
EXPOSE 8000
CMD ["gunicorn", "bethune_portal.wsgi", "-c", "gunicorn.conf.py"]

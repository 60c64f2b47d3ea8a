"""gunicorn's settings for the portal: the Dockerfile's CMD and docker-compose's `web` pass
`-c gunicorn.conf.py`, and gunicorn reads this file by itself when started from the repository root.
Options given on the command line win over these.

The request-body cap: gunicorn has no setting for the size of a body. Django bounds the non-file part of a
body (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 Mo: RequestDataTooBig → 400) and the portal refuses a file past
PORTAL_MAX_UPLOAD_BYTES (10 Mo), PORTAL_MAX_FILES per form and PORTAL_MAX_FILES_PER_REQUEST per request;
but a multipart upload is read to the end before those checks, so the reverse proxy in front bounds the
whole body (nginx: `client_max_body_size 60m;`). See bethune_portal/settings/base.py."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")  # noqa: S104 (inside the container; published by compose)
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"

# The request line and headers, bounded before Django sees them (gunicorn answers 400 past them). A URL of
# the portal, filters and pagination included, stays far below 4 KiB; the default would be 4094 too, written
# out so that a change is deliberate.
limit_request_line = 4094
limit_request_fields = 50  # headers per request (default 100): a browser sends about 15
limit_request_field_size = 8190  # bytes per header: session and CSRF cookies fit several times over

# A worker stuck past this is killed and restarted; the slowest page (a CSV export, streamed) writes its
# first bytes well within it. PDFs are rendered by the Celery worker, never in a request.
timeout = 60
graceful_timeout = 30

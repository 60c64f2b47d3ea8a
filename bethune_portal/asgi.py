import os

from django.core.asgi import get_asgi_application

from portal_kit.startup import fail_clearly

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bethune_portal.settings.prod")

with fail_clearly():
    application = get_asgi_application()

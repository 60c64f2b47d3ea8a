import os

from django.core.wsgi import get_wsgi_application

from portal_kit.startup import fail_clearly

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bethune_portal.settings.prod")

with fail_clearly():
    application = get_wsgi_application()
    from portal_kit.startup import check_database

    check_database()

"""The project's URLs: wiring only. Each app keeps its own urls.py; its public prefix is chosen here."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from accounts.access import admin_login
from portal_kit import health
from requests_app.views.account import PrivacyView
from requests_app.views.home import home

# One door for staff: the admin's login (password only, no rate limit) sends to allauth's (rate-limited, MFA).
admin.site.login = admin_login(admin.site.login)

urlpatterns = [
    path("", home, name="home"),
    path(
        "mentions-legales/",
        TemplateView.as_view(template_name="legal/mentions_legales.html"),
        name="legal_notice",
    ),
    path(
        "accessibilite/", TemplateView.as_view(template_name="legal/accessibilite.html"), name="accessibility"
    ),
    path("donnees-personnelles/", PrivacyView.as_view(), name="privacy"),
    path("healthz", health.healthz, name="healthz"),
    path("comptes/", include("allauth.urls")),
    path("", include("requests_app.urls")),
    path("guichet/", include("guichet.urls")),
    path("rendez-vous/", include("appointments.urls")),
    path("encombrants/", include("encombrants.urls")),
    path("associations/", include("associations.urls")),
    path("tableaux-de-bord/", include("dashboards.urls")),
    path("admin/", admin.site.urls),
]

from django.contrib import admin
from django.urls import include, path

from bethune_portal import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
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

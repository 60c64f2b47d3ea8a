"""Walk-in visitors, mounted at /guichet/accueil/ inside the "guichet" namespace (guichet/urls.py)."""

from django.urls import path

from guichet.views import visits

urlpatterns = [
    path("", visits.visit_index, name="visit_index"),
    path("arrivee/", visits.visit_register_view, name="visit_register"),
    path("visites/<int:pk>/terminer/", visits.visit_close_view, name="visit_close"),
    path("visites/<int:pk>/parti/", visits.visit_left_view, name="visit_left"),
    path("<slug:site_code>/", visits.visit_screen, name="visit_screen"),
    path("<slug:site_code>/liste/", visits.visit_screen_list, name="visit_screen_list"),
    path("<slug:site_code>/appeler/", visits.visit_call_next_view, name="visit_call_next"),
]

from django.urls import path

from appointments import views

app_name = "appointments"
urlpatterns = [
    path("", views.home, name="home"),
    path("gerer/<str:token>/", views.manage, name="manage"),
    path("gerer/<str:token>/annuler/", views.manage_cancel, name="manage_cancel"),
    path("gerer/<str:token>/deplacer/", views.move_month, name="move_month"),
    path("gerer/<str:token>/deplacer/<str:date>/", views.move_day, name="move_day"),
    path("confirmation/<str:reference>/", views.confirmation, name="confirmation"),
    path("agents/", views.agent_home, name="agent_home"),
    path("agents/agenda/<int:agenda_id>/jour/<str:date>/", views.agent_day, name="agent_day"),
    path("agents/agenda/<int:agenda_id>/jour/<str:date>/pdf/", views.agent_day_pdf, name="agent_day_pdf"),
    path("agents/agenda/<int:agenda_id>/reserver/", views.agent_book, name="agent_book"),
    path("agents/rendez-vous/<int:booking_id>/", views.agent_booking_action, name="agent_booking_action"),
    path("<str:motif>/", views.sites, name="sites"),
    path("<str:motif>/<slug:site>/", views.month, name="month"),
    path("<str:motif>/<slug:site>/reserver/", views.details, name="details"),
    path("<str:motif>/<slug:site>/<str:date>/", views.day, name="day"),
]

from django.urls import path

from encombrants import views

app_name = "encombrants"
urlpatterns = [
    path("", views.home, name="home"),
    path("reserver/", views.start, name="start"),
    path("reserver/jour/", views.days, name="days"),
    path("reserver/recapitulatif/", views.summary, name="summary"),
    path("confirmation/<str:reference>/", views.confirmation, name="confirmation"),
    path("gerer/<str:token>/", views.manage, name="manage"),
    path("gerer/<str:token>/confirmation.pdf", views.manage_pdf, name="manage_pdf"),
    path("gerer/<str:token>/encombrants.ics", views.manage_ics, name="manage_ics"),
    path("gerer/<str:token>/modifier/", views.manage_amend, name="manage_amend"),
    path("gerer/<str:token>/annuler/", views.manage_cancel, name="manage_cancel"),
    path("gerer/<str:token>/non-collecte/", views.manage_missed, name="manage_missed"),
    path("agents/", views.agent_home, name="agent_home"),
    path("agents/reserver/", views.agent_book, name="agent_book"),
    path("agents/export.csv", views.agent_export, name="agent_export"),
    path("agents/tournee/<slug:sector>/<str:date>/", views.agent_round, name="agent_round"),
    path("agents/tournee/<slug:sector>/<str:date>/pdf/", views.agent_round_pdf, name="agent_round_pdf"),
    path("agents/enlevement/<int:pickup_id>/", views.agent_pickup, name="agent_pickup"),
    path("agents/enlevement/<int:pickup_id>/pdf/", views.agent_pickup_pdf, name="agent_pickup_pdf"),
    path(
        "agents/enlevement/<int:pickup_id>/pieces/<int:pk>/", views.agent_attachment, name="agent_attachment"
    ),
    path("agents/enlevement/<int:pickup_id>/photo/", views.agent_outcome_photo, name="agent_outcome_photo"),
    path("agents/enlevement/<int:pickup_id>/resultat/", views.agent_outcome, name="agent_outcome"),
    path("agents/enlevement/<int:pickup_id>/annuler/", views.agent_cancel, name="agent_cancel"),
    path("agents/enlevement/<int:pickup_id>/modifier/", views.agent_amend, name="agent_amend"),
]

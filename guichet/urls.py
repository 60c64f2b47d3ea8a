from django.urls import include, path

from guichet.views import bulk, intake, queue, triage

app_name = "guichet"
urlpatterns = [
    path("", queue.queue, name="queue"),
    path("export.csv", queue.export_csv, name="export"),
    path("filtres/", queue.saved_filter_create, name="saved_filter_create"),
    path("filtres/<int:pk>/supprimer/", queue.saved_filter_delete, name="saved_filter_delete"),
    path("actions-groupees/", bulk.bulk, name="bulk"),
    path("saisie/", intake.intake, name="intake"),
    path("saisie/<slug:code>/", intake.intake_form, name="intake_form"),
    path("saisie/enregistree/<str:reference>/", intake.intake_done, name="intake_done"),
    path("demandes/<str:reference>/", triage.request_detail, name="request_detail"),
    path("demandes/<str:reference>/prendre/", triage.claim, name="claim"),
    path("demandes/<str:reference>/attribuer/", triage.assign, name="assign"),
    path("demandes/<str:reference>/statut/", triage.transition, name="transition"),
    path("demandes/<str:reference>/message/", triage.message, name="message"),
    path("demandes/<str:reference>/service/", triage.change_service, name="change_service"),
    path("demandes/<str:reference>/priorite/", triage.set_priority, name="priority"),
    path("demandes/<str:reference>/doublon/", triage.mark_duplicate, name="duplicate"),
    path("demandes/<str:reference>/accuse-de-reception.pdf", triage.receipt, name="receipt"),
    path("demandes/<str:reference>/pieces/<int:pk>/", triage.attachment, name="attachment"),
    path("accueil/", include("guichet.urls_visits")),
]

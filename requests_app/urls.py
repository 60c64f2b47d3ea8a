"""The resident's pages of the spine. Included at "" by bethune_portal/urls.py: paths are written in full.
Fixed public addresses: /demarches/ (the catalogue), /mes-demandes/ (a resident's requests) and /mes-donnees/
(their personal data: download, account deletion)."""

from django.urls import path

from requests_app.views import account, catalogue, filing, follow

app_name = "requests_app"

urlpatterns = [
    path("demarches/", catalogue.catalogue, name="catalogue"),
    path("demarches/voies/", catalogue.street_suggestions, name="street_suggestions"),
    path("demarches/<slug:code>/", filing.file_request, name="file"),
    path("demarches/<slug:code>/verifiez-vos-courriels/", filing.anonymous_sent, name="anonymous_sent"),
    path("mes-demandes/", follow.my_requests, name="my_requests"),
    path("mes-demandes/brouillons/<int:pk>/supprimer/", filing.draft_delete, name="draft_delete"),
    # Tracking links and email confirmation come before <reference>: their first segment is fixed.
    path("mes-demandes/confirmer/<str:token>/", follow.confirm_email, name="confirm_email"),
    path("mes-demandes/suivi/<str:token>/", follow.track, name="track"),
    path(
        "mes-demandes/suivi/<str:token>/accuse-de-reception.pdf", follow.track_receipt, name="track_receipt"
    ),
    path("mes-demandes/suivi/<str:token>/pieces/<int:pk>/", follow.track_attachment, name="track_attachment"),
    path("mes-demandes/suivi/<str:token>/repondre/", follow.track_reply, name="track_reply"),
    path("mes-demandes/suivi/<str:token>/annuler/", follow.track_cancel, name="track_cancel"),
    path("mes-demandes/<str:reference>/", follow.request_detail, name="request_detail"),
    path(
        "mes-demandes/<str:reference>/confirmation/", filing.request_confirmation, name="request_confirmation"
    ),
    path(
        "mes-demandes/<str:reference>/accuse-de-reception.pdf", follow.request_receipt, name="request_receipt"
    ),
    path(
        "mes-demandes/<str:reference>/pieces/<int:pk>/", follow.request_attachment, name="request_attachment"
    ),
    path("mes-demandes/<str:reference>/repondre/", follow.request_reply, name="request_reply"),
    path("mes-demandes/<str:reference>/annuler/", follow.request_cancel, name="request_cancel"),
    path("mes-demandes/<str:reference>/rouvrir/", follow.request_reopen, name="request_reopen"),
    path("mes-donnees/", account.my_data, name="my_data"),
    path("mes-donnees/archive.zip", account.my_data_download, name="my_data_download"),
    path("mes-donnees/supprimer-mon-compte/", account.account_delete, name="account_delete"),
    path("mes-donnees/compte-supprime/", account.account_deleted, name="account_deleted"),
]

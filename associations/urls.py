from django.urls import path

from associations import views

app_name = "associations"
urlpatterns = [
    path("", views.home, name="home"),
    path("campagnes/", views.campaigns, name="campaigns"),
    path("subventions-accordees/<int:year>/", views.open_data, name="open_data"),
    path("subventions-accordees/<int:year>/subventions.csv", views.open_data_csv, name="open_data_csv"),
    path("creer/", views.association_new, name="association_new"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("<int:pk>/", views.association, name="association"),
    path("<int:pk>/modifier/", views.association_edit, name="association_edit"),
    path("<int:pk>/inviter/", views.member_invite, name="member_invite"),
    path("<int:pk>/membres/<int:membership_id>/retirer/", views.member_remove, name="member_remove"),
    path("<int:pk>/pieces/", views.document_add, name="document_add"),
    path("<int:pk>/campagne/<int:campaign_id>/nouveau-dossier/", views.dossier_new, name="dossier_new"),
    path("dossiers/<int:pk>/", views.dossier, name="dossier"),
    path("dossiers/<int:pk>/brouillon/", views.dossier_autosave, name="dossier_autosave"),
    path("dossiers/<int:pk>/recapitulatif.pdf", views.dossier_pdf, name="dossier_pdf"),
    path("dossiers/<int:pk>/compte-rendu/", views.report, name="report"),
    path("instruction/", views.instruction, name="instruction"),
    path("instruction/campagnes/nouvelle/", views.campaign_form, name="campaign_new"),
    path("instruction/campagne/<int:pk>/modifier/", views.campaign_form, name="campaign_edit"),
    path("instruction/campagne/<int:pk>/", views.instruction_campaign, name="instruction_campaign"),
    path("instruction/campagne/<int:pk>/export.xlsx", views.instruction_export, name="instruction_export"),
    path("instruction/dossier/<int:pk>/", views.instruction_dossier, name="instruction_dossier"),
    path("instruction/dossier/<int:pk>/<str:document>.pdf", views.instruction_pdf, name="instruction_pdf"),
]

"""Demo reply templates (seed_demo). Chosen defaults: the answers agents give most, editable in the admin."""

from guichet.models import ReplyTemplate
from requests_app.models import Espace

TEMPLATES = [
    (
        None,
        "Prise en charge",
        "Bonjour {nom},\n\nVotre demande {reference} ({service}) est prise en charge par nos "
        "services. Nous vous "
        "tiendrons informé(e) de son avancement ; elle sera traitée au plus tard le {echeance}.\n\n{agent}\n"
        "Ville de Béthune",
    ),
    (
        None,
        "Demande de précisions",
        "Bonjour {nom},\n\nPour traiter votre demande {reference}, pouvez-vous nous préciser "
        "l'emplacement exact "
        "(numéro, repère visible) et, si possible, joindre une photo ?\n\n{agent}\nVille de Béthune",
    ),
    (
        "tranquillite",
        "Intervention réalisée",
        "Bonjour {nom},\n\nLes services techniques sont intervenus : votre signalement "
        "{reference} est traité. Merci "
        "de contribuer à la qualité de vie à Béthune.\n\n{agent}\nVille de Béthune",
    ),
    (
        None,
        "Hors compétence de la Ville",
        "Bonjour {nom},\n\nVotre demande {reference} ne relève pas de la compétence de la "
        "Ville de Béthune. Nous "
        "l'avons transmise au service compétent, qui vous répondra directement.\n\n{agent}\nVille de Béthune",
    ),
]


def reply_templates_seed() -> int:
    espaces = {espace.code: espace for espace in Espace.objects.all()}
    for code, title, body in TEMPLATES:
        ReplyTemplate.objects.update_or_create(
            title=title,
            defaults={"body": body, "espace": espaces.get(code) if code else None, "active": True},
        )
    return len(TEMPLATES)

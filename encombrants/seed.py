"""Demo and starting data of the encombrants app (seed_demo): sectors of quartiers, the item catalogue, the
refused items and where to take them, the follow-up service for missed pickups. The town publishes no
figure (docs/town.md, "Encombrants"): every number below is a chosen default, editable in the admin.
Idempotent: rows staff edited are left as they are."""

from encombrants.models import Config, Item, QuartierSector, RefusedItem, Sector
from requests_app.models import Espace, Quartier, Service

# Chosen default: four sectors of two quartiers each, neighbours on the map.
SECTORS = [
    ("centre", "Centre – Gare", ["centre-ville", "gare"]),
    ("nord", "Nord – Catorive, Beaumarais", ["catorive", "beaumarais"]),
    ("est", "Est – 3 Îlots, Cheminots", ["3-ilots", "cheminots"]),
    ("sud", "Sud – Mont-Liébaut, Mont-Sans-Pareil", ["mont-liebaut", "mont-sans-pareil"]),
]

# (code, name, unit volume in litres, at most per pickup, advice). Chosen defaults: usual sizes.
ITEMS = [
    ("matelas", "Matelas", 500, 2, "Sous housse ou film si possible."),
    ("sommier", "Sommier", 500, 2, "Pieds démontés."),
    ("canape", "Canapé", 1500, 1, "Coussins avec le canapé."),
    ("fauteuil", "Fauteuil", 600, 2, ""),
    ("armoire", "Armoire démontée", 1000, 1, "Démontée, portes retirées, planches liées ensemble."),
    ("buffet", "Buffet, commode", 800, 1, "Tiroirs vides, portes retirées ou scotchées."),
    ("refrigerateur", "Réfrigérateur, congélateur", 700, 1, "Vide, débranché et dégivré, portes scotchées."),
    ("lave-linge", "Lave-linge, lave-vaisselle", 400, 1, "Vide et débranché."),
    ("cuisiniere", "Cuisinière, four", 400, 1, "Sans bouteille de gaz (refusée)."),
    ("table", "Table", 600, 2, "Pieds démontés si possible."),
    ("chaise", "Chaise", 150, 6, "Empilées si possible."),
    ("velo", "Vélo", 300, 2, ""),
    ("lit-enfant", "Lit d'enfant, poussette", 300, 2, "Démonté."),
    ("television", "Téléviseur, écran", 150, 2, "Écran protégé contre la casse."),
    ("tapis", "Tapis, moquette roulée", 200, 2, "Roulé et lié, 2 m au plus."),
]

# (code, name, where, advice, keywords)
REFUSED = [
    (
        "gravats",
        "Gravats, briques, carrelage",
        "déchèterie",
        "Les déchets de travaux vont à la déchèterie.",
        "gravat gravats brique briques carrelage beton béton parpaing plâtre platre",
    ),
    ("pneus", "Pneus", "déchèterie ou garage", "Les garages reprennent les pneus usagés.", "pneu pneus"),
    (
        "dangereux",
        "Produits dangereux (peintures, solvants, huiles)",
        "déchèterie",
        "Dans leur emballage d'origine, fermé.",
        "peinture peintures solvant solvants huile huiles produit chimique batterie batteries",
    ),
    (
        "dechets-verts",
        "Déchets verts (tontes, branches)",
        "déchèterie",
        "Ou en compost chez vous.",
        "branche branches tonte tontes herbe feuilles haie souche",
    ),
    (
        "gaz",
        "Bouteilles de gaz",
        "déchèterie ou point de vente",
        "Le distributeur reprend la bouteille consignée.",
        "gaz bouteille de gaz butane propane extincteur",
    ),
    (
        "bon-etat",
        "Objets en bon état",
        "ressourcerie",
        "Donnez-leur une seconde vie : la ressourcerie les récupère et les revend à petit prix.",
        "bon etat réemploi reemploi",
    ),
]

MISSED_SERVICE = "encombrants-non-collecte"


def encombrants_seed() -> str:
    quartiers = {quartier.code: quartier for quartier in Quartier.objects.all()}
    for order, (code, name, quartier_codes) in enumerate(SECTORS):
        sector, _created = Sector.objects.get_or_create(code=code, defaults={"name": name, "order": order})
        for quartier_code in quartier_codes:
            if quartier_code in quartiers:
                QuartierSector.objects.get_or_create(
                    quartier=quartiers[quartier_code], defaults={"sector": sector}
                )
    for order, (code, name, litres, most, advice) in enumerate(ITEMS):
        Item.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit_volume_l": litres,
                "max_per_pickup": most,
                "advice": advice,
                "order": order,
            },
        )
    for order, (code, name, where, advice, keywords) in enumerate(REFUSED):
        RefusedItem.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "destination": where,
                "advice": advice,
                "keywords": keywords,
                "order": order,
            },
        )
    espace = Espace.objects.filter(code="vielocale").first()
    if espace is not None:
        Service.objects.get_or_create(
            code=MISSED_SERVICE,
            defaults={
                "name": "Encombrants non collectés",
                "espace": espace,
                "kind": "signalement",
                "sla_days": 2,
                "address_required": True,
                "description": "Un enlèvement d'encombrants prévu n'a pas été effectué.",
                "online": False,
            },
        )
    Config.current()
    return f"{Sector.objects.count()} secteurs d'encombrants, {Item.objects.count()} objets"

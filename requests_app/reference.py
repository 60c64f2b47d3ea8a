"""The town's organisation as reference data: espaces d'accueil, Guichet Unique sites and their hours,
quartiers and streets. Loaded by migration (they exist in every mode), editable in the admin.
Sources: docs/town.md (000:101, 000:160, 000:1542, 001:62-249, 000:366)."""

ESPACES = [
    ("famille", "Famille", "État civil, PACS, écoles, petite enfance, périscolaire et jeunesse."),
    (
        "citoyen",
        "Citoyen",
        "Cartes d'identité et passeports, élections, recensement, attestations, réclamations et suggestions.",
    ),
    (
        "tranquillite",
        "Tranquillité publique",
        "Propreté, dépôts sauvages, stationnement, voisinage, "
        "éclairage, voirie et Opération Tranquillité Vacances.",
    ),
    (
        "vielocale",
        "Vie locale",
        "Associations, salles, prêt de matériel, manifestations, commerces et encombrants.",
    ),
    (
        "solidarite",
        "Solidarité",
        "Action sociale, aînés, logement, santé et accompagnement des personnes en difficulté.",
    ),
    (
        "numerique",
        "Numérique",
        "Aide aux démarches en ligne, ateliers contre la fracture numérique et accès à B'CLiC.",
    ),
]

SITES = [
    ("hdv", "Hôtel de Ville", "Place du 4 Septembre, 62400 Béthune", "03 21 63 00 00"),
    # Opened in 2019 at Mont-Liébaut (000:160). Chosen default: same hours and phone as the Hôtel de Ville.
    ("victor-hugo", "Centre Administratif Victor Hugo", "Mont-Liébaut, 62400 Béthune", "03 21 63 00 00"),
]

# (weekday 0=Monday, opens, closes): Monday 9:00-19:30 non-stop; Tuesday-Friday 9:00-12:30 and
# 14:00-17:00 (000:1542). Weekends closed; public holidays closed (chosen default).
OPENING_HOURS = [(0, "09:00", "19:30")] + [
    (day, start, end) for day in range(1, 5) for start, end in (("09:00", "12:30"), ("14:00", "17:00"))
]

# Eight quartiers (000:1411); names from 001:62-249. Chosen default: these eight, editable.
QUARTIERS = [
    ("centre-ville", "Centre-ville", ""),
    ("gare", "Quartier de la gare", ""),
    ("mont-liebaut", "Mont-Liébaut", "QP 06 20 08"),
    ("3-ilots", "3 Îlots", "QP 06 20 09"),
    ("catorive", "Catorive", ""),
    ("beaumarais", "Beaumarais", ""),
    ("cheminots", "Cheminots", ""),
    ("mont-sans-pareil", "Mont-Sans-Pareil", ""),
]

# Streets named in the town's documents (000:366 and elsewhere) with the quartier each lies in.
# The quartier of each street is a chosen default (the documents do not map them), editable.
STREETS = [
    ("rue Hoche", "centre-ville"),
    ("rue Verlaine", "mont-liebaut"),
    ("impasse du Canada", "mont-liebaut"),
    ("rue Saint-Christophe", "centre-ville"),
    ("rue du Beaumarais", "beaumarais"),
    ("rue de Courtrai", "catorive"),
    ("rue Auguste Comte", "mont-liebaut"),
    ("rue Fernand Bar", "catorive"),
    ("boulevard Salengro", "gare"),
    ("rue Jean-Paul Sartre", "mont-liebaut"),
    ("rue Eugène Haynaut", "catorive"),
    ("rue de l'Yser", "catorive"),
    ("rue du Moulin Masclef", "catorive"),
    ("rue du Pont-de-Pierre", "catorive"),
    ("avenue du 8 Mai", "beaumarais"),
    ("rue Jaurès", "centre-ville"),
    ("rue Carnot", "centre-ville"),
    ("rue Copernic", "mont-liebaut"),
    ("rue du Docteur Dhenin", "beaumarais"),
    ("rue de Schwerte", "mont-liebaut"),
    ("rue de la Tannerie", "catorive"),
    ("rue de Laon", "3-ilots"),
    ("rue d'Orléans", "3-ilots"),
    ("rue de Roubaix", "3-ilots"),
    ("rue de Tourcoing", "3-ilots"),
    ("rue de Reims", "3-ilots"),
    ("rue de l'Aisne", "3-ilots"),
    ("rue du Halage", "catorive"),
    ("rue Claude Bernard", "mont-sans-pareil"),
    ("rue des Jasmins", "beaumarais"),
    ("rue du Tir", "cheminots"),
    ("boulevard Leclerc", "gare"),
    ("boulevard Vauban", "centre-ville"),
    ("rue de Verquin", "mont-sans-pareil"),
    ("rue de la Deûle", "3-ilots"),
    ("impasse Delporte", "cheminots"),
    ("place de Gaulle", "gare"),
    ("rue de Vaudricourt", "mont-sans-pareil"),
    ("avenue du Pont des Dames", "beaumarais"),
    ("rue d'Aire", "centre-ville"),
    ("boulevard des États-Unis", "gare"),
    ("rue de Saint-Pol", "centre-ville"),
    ("rue Langevin", "cheminots"),
    ("rue de Lille", "cheminots"),
    ("Grand'Place", "centre-ville"),
    ("place du 4 Septembre", "centre-ville"),
    ("place de l'Europe", "gare"),
    ("rue de la Délivrance", "cheminots"),
    ("rue du Faubourg d'Arras", "mont-sans-pareil"),
]

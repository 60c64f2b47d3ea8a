"""The CERFA 12156 budget prévisionnel as a grid: charges 60–68 and 86, produits 70–78 and 87, account 74
split by funder. Amounts are whole euros; the budget balances (charges = produits, 86 = 87) and the town's
74 line equals the amount asked (notice 51781). Pure functions: the service raises their errors."""

from decimal import Decimal, InvalidOperation

from requests_app.errors import ServiceError

CHARGES = [
    ("60", "60 – Achats"),
    ("61", "61 – Services extérieurs"),
    ("62", "62 – Autres services extérieurs"),
    ("63", "63 – Impôts et taxes"),
    ("64", "64 – Charges de personnel"),
    ("65", "65 – Autres charges de gestion courante"),
    ("66", "66 – Charges financières"),
    ("67", "67 – Charges exceptionnelles"),
    ("68", "68 – Dotation aux amortissements"),
]
CHARGES_IN_KIND = ("86", "86 – Emplois des contributions volontaires en nature")
FUNDERS = [
    ("74_etat", "74 – État"),
    ("74_region", "74 – Région"),
    ("74_departement", "74 – Département"),
    ("74_interco", "74 – Intercommunalité (CABBALR)"),
    ("74_commune", "74 – Commune de Béthune"),
    ("74_autre", "74 – Autres financeurs publics et privés"),
]
TOWN_LINE = "74_commune"
PRODUITS = [
    ("70", "70 – Ventes, prestations de services"),
    ("71", "71 – Production stockée"),
    ("72", "72 – Production immobilisée"),
    ("73", "73 – Dotations et produits de tarification"),
    *FUNDERS,
    ("75", "75 – Autres produits de gestion courante (cotisations, dons)"),
    ("76", "76 – Produits financiers"),
    ("77", "77 – Produits exceptionnels"),
    ("78", "78 – Reprises sur amortissements et provisions"),
]
PRODUITS_IN_KIND = ("87", "87 – Contributions volontaires en nature")
CHARGE_ACCOUNTS = [code for code, _label in CHARGES] + ["86"]
PRODUIT_ACCOUNTS = [code for code, _label in PRODUITS] + ["87"]
ACCOUNTS = CHARGE_ACCOUNTS + PRODUIT_ACCOUNTS
LABELS = dict([*CHARGES, CHARGES_IN_KIND, *PRODUITS, PRODUITS_IN_KIND])

HR_ROWS = [
    ("benevoles", "Bénévoles"),
    ("salaries", "Salariés"),
    ("volontaires", "Volontaires (service civique)"),
    ("adherents", "Adhérents"),
]


def euros(amount) -> str:
    """12 345 € (a narrow no-break space between thousands, as French prints it)."""
    value = int(Decimal(amount or 0))
    return f"{value:,}".replace(",", "\u202f") + " €"


def whole_euros(raw, *, field: str, label: str) -> int:
    """A grid cell: empty is 0; negative, text or cents are refused with the cell named."""
    text = str(raw if raw is not None else "").strip().replace("\u202f", "").replace(" ", "").replace("€", "")
    if text == "":
        return 0
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ServiceError(
            f"« {label} » : indiquez un montant en euros, en chiffres.", field=field, code="number"
        ) from None
    if not value.is_finite() or value < 0:
        raise ServiceError(
            f"« {label} » : le montant ne peut pas être négatif.", field=field, code="negative"
        )
    if value != value.to_integral_value():
        raise ServiceError(
            f"« {label} » : indiquez des euros entiers, sans centimes (le CERFA se remplit à l'euro près).",
            field=field,
            code="cents",
        )
    if value >= 10**10:
        raise ServiceError(f"« {label} » : montant trop élevé.", field=field, code="too_big")
    return int(value)


def budget_parse(raw: dict) -> dict[str, int]:
    """The grid as typed (form names `b_<account>`, or already keyed by account) → {account: euros}."""
    grid = {}
    for code in ACCOUNTS:
        value = raw.get(f"b_{code}", raw.get(code))
        grid[code] = whole_euros(value, field=f"b_{code}", label=LABELS[code])
    return grid


def _amount(grid: dict, code: str) -> int:
    # A grid being re-shown as typed may hold text: it counts as 0 in the totals shown beside it.
    try:
        return int(grid.get(code) or 0)
    except (TypeError, ValueError):
        return 0


def totals(grid: dict) -> dict[str, int]:
    return {
        "charges": sum(_amount(grid, code) for code in CHARGE_ACCOUNTS),
        "produits": sum(_amount(grid, code) for code in PRODUIT_ACCOUNTS),
        "subsidies_74": sum(_amount(grid, code) for code, _label in FUNDERS),
        "in_kind_86": _amount(grid, "86"),
        "in_kind_87": _amount(grid, "87"),
    }


def budget_check(grid: dict, *, amount_asked) -> None:
    """Raises the first rule the budget breaks, with the difference and the total that is off."""
    sums = totals(grid)
    if sums["charges"] == 0:
        raise ServiceError(
            "Remplissez le budget prévisionnel : toutes les charges sont à 0 €.", field="budget", code="empty"
        )
    if sums["in_kind_86"] != sums["in_kind_87"]:
        gap = abs(sums["in_kind_86"] - sums["in_kind_87"])
        low = (
            "87 (contributions volontaires en nature)"
            if sums["in_kind_86"] > sums["in_kind_87"]
            else ("86 (emplois des contributions volontaires)")
        )
        raise ServiceError(
            f"Les comptes 86 ({euros(sums['in_kind_86'])}) et 87 ({euros(sums['in_kind_87'])}) doivent être "
            f"égaux : il manque {euros(gap)} au compte {low}.",
            field="b_87",
            code="in_kind_unbalanced",
        )
    if sums["charges"] != sums["produits"]:
        gap = abs(sums["charges"] - sums["produits"])
        if sums["charges"] > sums["produits"]:
            which = f"le total des produits est inférieur de {euros(gap)} au total des charges"
        else:
            which = f"le total des charges est inférieur de {euros(gap)} au total des produits"
        raise ServiceError(
            f"Le budget n'est pas équilibré : charges {euros(sums['charges'])}, produits "
            f"{euros(sums['produits'])} ; {which}.",
            field="budget",
            code="unbalanced",
        )
    town = _amount(grid, TOWN_LINE)
    if Decimal(town) != Decimal(amount_asked or 0):
        raise ServiceError(
            f"Le montant demandé à la ville ({euros(amount_asked)}) doit être égal à la ligne « 74 – Commune "
            f"de Béthune » du budget ({euros(town)}).",
            field="amount_asked",
            code="town_line",
        )


def grid_rows(grid: dict, actual: dict | None = None) -> dict:
    """The grid for a template: charges and produits rows (label, account, forecast, actual)."""

    def rows(pairs):
        return [(code, label, grid.get(code, 0), (actual or {}).get(code, "")) for code, label in pairs]

    return {
        "charges": rows([*CHARGES, CHARGES_IN_KIND]),
        "produits": rows([*PRODUITS, PRODUITS_IN_KIND]),
        "totals": totals(grid),
        "actual_totals": totals(actual) if actual else None,
    }

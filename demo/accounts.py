"""Demo accounts of `seed_demo` (never in production: see demo.guards)."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import User

# (email, first name, last name, role, espace codes)
DEMO_ACCOUNTS = [
    ("habitant@demo.bethune.fr", "Jean", "Dupont", roles.RESIDENT, []),
    ("habitante@demo.bethune.fr", "Marie", "Lefebvre", roles.RESIDENT, []),
    ("agent.famille@demo.bethune.fr", "Sophie", "Martin", roles.AGENT, ["famille"]),
    ("agent.citoyen@demo.bethune.fr", "Karim", "Benali", roles.AGENT, ["citoyen"]),
    ("agent.tranquillite@demo.bethune.fr", "Luc", "Delattre", roles.AGENT, ["tranquillite"]),
    ("agent.vielocale@demo.bethune.fr", "Nadia", "Caron", roles.AGENT, ["vielocale"]),
    ("agent.solidarite@demo.bethune.fr", "Paul", "Vasseur", roles.AGENT, ["solidarite"]),
    ("agent.numerique@demo.bethune.fr", "Emma", "Lemaire", roles.AGENT, ["numerique"]),
    ("superviseur@demo.bethune.fr", "Claire", "Dubois", roles.SUPERVISOR, []),
    ("responsable@demo.bethune.fr", "Olivier", "Leroy", roles.MANAGER, []),
    ("association@demo.bethune.fr", "Hélène", "Bertin", roles.ASSOCIATION_MEMBER, []),
    ("admin@demo.bethune.fr", "Admin", "Portail", roles.ADMINISTRATOR, []),
]


def demo_accounts_seed(*, password: str) -> list[tuple[str, str]]:
    """Create or refresh the demo accounts (email verified); returns (email, role) for each.
    Espace memberships are left to the caller: they live with the espaces (requests_app)."""
    created = []
    for email, first_name, last_name, role, _espaces in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(email=email)
        user.first_name, user.last_name = first_name, last_name
        user.is_superuser = role == roles.ADMINISTRATOR
        user.is_staff = roles.staff_flag(is_superuser=user.is_superuser, role_names=[role])
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        created.append((email, role))
    return created

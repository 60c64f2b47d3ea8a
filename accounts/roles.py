"""Roles are Django groups (created by migration 0002); these names are the only place they are spelled."""

RESIDENT = "Habitants"
AGENT = "Agents"
SUPERVISOR = "Superviseurs"
MANAGER = "Responsables"
ASSOCIATION_MEMBER = "Membres d'association"
ADMINISTRATOR = "Administrateurs"

ALL = [RESIDENT, AGENT, SUPERVISOR, MANAGER, ASSOCIATION_MEMBER, ADMINISTRATOR]
# Roles that work in the back office (the guichet); everyone else is served by it.
STAFF_ROLES = {AGENT, SUPERVISOR, MANAGER, ADMINISTRATOR}


def staff_flag(*, is_superuser: bool, role_names) -> bool:
    """`User.is_staff`, i.e. access to Django's admin: administrators (and superusers) only. Agents,
    supervisors and managers work in the guichet, not in the admin (they saw an empty admin answering
    403). Set by the admin when an account's groups change, by seed_demo, and once by migration 0004."""
    return bool(is_superuser) or ADMINISTRATOR in set(role_names)

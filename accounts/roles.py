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

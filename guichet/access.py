"""The guichet's access rule is the back office's, kept once in accounts.access (agents only, 404 to
everyone else). These names stay importable from here for the guichet's modules."""

from accounts.access import agent_espace_ids, agent_required

__all__ = ["agent_espace_ids", "agent_required"]

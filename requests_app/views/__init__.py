"""Resident-facing pages of the spine, by purpose: the catalogue, filing, and following a request (with an
account or through a tracking link). Views call services (writes) and selectors (reads), nothing more."""

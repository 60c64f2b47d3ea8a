"""Search indexes of the guichet's queue, on PostgreSQL only (SQLite searches by a plain scan, fine for the
embedded default): trigram GIN on the contact name and phone, as Django's icontains writes them
(UPPER(col::text) LIKE UPPER('%…%')), and a French full-text GIN on the description, with the exact
expression guichet.selectors._search uses."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS req_contact_name_trgm ON requests_app_request "
    "USING gin ((UPPER(contact_name::text)) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS req_contact_phone_trgm ON requests_app_request "
    "USING gin ((UPPER(contact_phone::text)) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS req_description_fts ON requests_app_request "
    "USING gin (to_tsvector('french'::regconfig, description))",
]
BACKWARD = [
    "DROP INDEX IF EXISTS req_contact_name_trgm",
    "DROP INDEX IF EXISTS req_contact_phone_trgm",
    "DROP INDEX IF EXISTS req_description_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0002_reference_data")]
    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]

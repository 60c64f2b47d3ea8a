"""The town's organisation (espaces, sites and hours, quartiers, streets) exists in every mode."""

import datetime

from django.db import migrations

from requests_app import reference
from requests_app.text import fold


def load(apps, schema_editor):
    Espace = apps.get_model("requests_app", "Espace")
    Site = apps.get_model("requests_app", "Site")
    OpeningPeriod = apps.get_model("requests_app", "OpeningPeriod")
    Quartier = apps.get_model("requests_app", "Quartier")
    Street = apps.get_model("requests_app", "Street")
    for order, (code, name, description) in enumerate(reference.ESPACES):
        Espace.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "order": order}
        )
    for order, (code, name, address, phone) in enumerate(reference.SITES):
        site, created = Site.objects.update_or_create(
            code=code, defaults={"name": name, "address": address, "phone": phone, "order": order}
        )
        if created:
            for weekday, opens, closes in reference.OPENING_HOURS:
                OpeningPeriod.objects.create(
                    site=site,
                    weekday=weekday,
                    opens=datetime.time.fromisoformat(opens),
                    closes=datetime.time.fromisoformat(closes),
                )
    quartiers = {}
    for code, name, qpv in reference.QUARTIERS:
        quartiers[code], _ = Quartier.objects.update_or_create(
            code=code, defaults={"name": name, "qpv_code": qpv}
        )
    for name, quartier in reference.STREETS:
        Street.objects.update_or_create(
            name=name, defaults={"search_key": fold(name), "quartier": quartiers[quartier]}
        )


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

# The reminder event kind moves from the spine's closed list ("reminder") to this app's registered,
# namespaced kind ("appointments.reminder", appointments/registration.py).

from django.db import migrations


def forward(apps, schema_editor):
    apps.get_model("requests_app", "RequestEvent").objects.filter(kind="reminder").update(
        kind="appointments.reminder"
    )


def backward(apps, schema_editor):
    apps.get_model("requests_app", "RequestEvent").objects.filter(kind="appointments.reminder").update(
        kind="reminder"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0001_initial"),
        ("requests_app", "0007_open_kinds"),
    ]

    operations = [migrations.RunPython(forward, backward)]

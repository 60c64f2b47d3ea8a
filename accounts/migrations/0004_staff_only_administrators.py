"""`is_staff` (Django's admin) for administrators and superusers only: supervisors and managers had it
and saw an empty admin answering 403 (see accounts.roles.staff_flag)."""

from django.db import migrations

ADMINISTRATOR = "Administrateurs"  # accounts.roles.ADMINISTRATOR, frozen here


def staff_only_administrators(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    administrators = User.objects.filter(groups__name=ADMINISTRATOR).values("pk")
    User.objects.filter(is_staff=True, is_superuser=False).exclude(pk__in=administrators).update(
        is_staff=False
    )
    User.objects.filter(is_staff=False, pk__in=administrators).update(is_staff=True)
    User.objects.filter(is_staff=False, is_superuser=True).update(is_staff=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_signin_event")]
    operations = [migrations.RunPython(staff_only_administrators, migrations.RunPython.noop)]

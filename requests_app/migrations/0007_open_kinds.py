# Event kinds and service kinds become open columns: a domain app adds its own (namespaced, validated
# against requests_app.registry) without a spine migration. The last spine migration of that sort.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0006_event_kind_reminder"),
    ]

    operations = [
        migrations.AlterField(
            model_name="requestevent",
            name="kind",
            field=models.CharField(max_length=50),
        ),
        migrations.AlterField(
            model_name="service",
            name="kind",
            field=models.CharField(default="demarche", max_length=30, verbose_name="nature"),
        ),
    ]

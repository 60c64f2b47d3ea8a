from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0003_search_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="request",
            index=models.Index(
                condition=models.Q(("is_open", True)), fields=["due_date", "id"], name="req_open_due"
            ),
        ),
        migrations.AddIndex(
            model_name="request",
            index=models.Index(fields=["-created_at"], name="req_created"),
        ),
    ]

from django.db import migrations


def seed(apps, schema_editor):
    from pingan.incidents.categories import seed as seed_categories

    seed_categories(apps.get_model("incidents", "IncidentCategory"))


class Migration(migrations.Migration):

    dependencies = [("incidents", "0002_repeats_tasks")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

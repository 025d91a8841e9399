from django.db import migrations, models


class Migration(migrations.Migration):
    """Indexes chosen from the real queries at 1,000,000 incidents (bench/RESULTS.md): the year
    report's counts read a banner's year from one covering index; the home page's 待人工定位 count
    reads a partial index of the backlog."""

    dependencies = [
        ("incidents", "0004_encrypt_personal_data"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="incident", name="incidents_i_banner__a71f68_idx"),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(fields=["banner", "received_at"], include=["category", "cluster"],
                               name="incident_banner_year_idx"),
        ),
        migrations.AddIndex(
            model_name="incident",
            index=models.Index(condition=models.Q(("needs_placement", True)), fields=["area"],
                               name="incident_to_place_idx"),
        ),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_auditlog_chain_existing_rows'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditlog',
            name='seq',
            field=models.BigIntegerField(editable=False, unique=True, verbose_name='链序号'),
        ),
    ]

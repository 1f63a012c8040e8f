"""Champions point at people's models (moved from portal), by state only."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('champions', '0003_one_open_nomination'),
        ('people', '0002_moved_from_portal'),
    ]

    operations = [
        # State only: the tables stay where they are (see people/migrations/0001_initial.py).
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='insight',
                name='channel',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='people.channel', verbose_name='channel'),
            ),
            migrations.AlterField(
                model_name='insight',
                name='customer_segment',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='insights', to='people.customersegment', verbose_name='customer'),
            ),
            migrations.AlterField(
                model_name='insight',
                name='department',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='insights', to='people.department'),
            ),
            migrations.AlterField(
                model_name='nomination',
                name='department',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='nominations', to='people.department'),
            ),
            migrations.AlterField(
                model_name='term',
                name='department',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='champion_terms', to='people.department'),
            ),
        ]),
    ]

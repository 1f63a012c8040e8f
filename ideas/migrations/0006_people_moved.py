"""Ideas point at people's models (moved from portal), by state only."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ideas', '0005_idea_submission_token'),
        ('people', '0002_moved_from_portal'),
    ]

    operations = [
        # State only: the tables stay where they are (see people/migrations/0001_initial.py).
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='idea',
                name='channel',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='people.channel', verbose_name='channel / touchpoint'),
            ),
            migrations.AlterField(
                model_name='idea',
                name='customer_segment',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='ideas', to='people.customersegment', verbose_name='which customer is affected'),
            ),
            migrations.AlterField(
                model_name='idea',
                name='department',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='ideas', to='people.department', verbose_name='department'),
            ),
            migrations.AlterField(
                model_name='idea',
                name='journey_stage',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='people.journeystage', verbose_name='journey stage'),
            ),
        ]),
    ]

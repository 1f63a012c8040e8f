
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ideas', '0007_queue_and_sort_indexes'),
        ('people', '0003_programme_settings'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='idea',
            name='ideas_list_newest',
        ),
        migrations.RemoveIndex(
            model_name='idea',
            name='ideas_queue_waiting',
        ),
        migrations.AddIndex(
            model_name='idea',
            index=models.Index(fields=['status', '-submitted_at', '-id'], include=('confidential', 'submitter', 'metric', 'department', 'stage', 'customer_segment', 'journey_stage'), name='ideas_list_newest'),
        ),
        migrations.AddIndex(
            model_name='idea',
            index=models.Index(condition=models.Q(('status', 'submitted')), fields=['stage_entered_at', 'id'], include=('stage', 'submitter', 'confidential', 'assignee'), name='ideas_queue_waiting'),
        ),
        migrations.AddIndex(
            model_name='idea',
            index=models.Index(condition=models.Q(('status', 'submitted')), fields=['stage', 'stage_entered_at'], include=('submitter', 'confidential', 'assignee'), name='ideas_queue_overdue'),
        ),
    ]

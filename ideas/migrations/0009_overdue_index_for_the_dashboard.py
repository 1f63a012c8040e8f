
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ideas', '0008_covering_list_and_queue_indexes'),
        ('people', '0003_programme_settings'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='idea',
            name='ideas_queue_overdue',
        ),
        migrations.AddIndex(
            model_name='idea',
            index=models.Index(condition=models.Q(('status', 'submitted')), fields=['stage', 'stage_entered_at'], include=('submitter', 'confidential', 'assignee', 'department', 'submitted_at'), name='ideas_queue_overdue'),
        ),
    ]

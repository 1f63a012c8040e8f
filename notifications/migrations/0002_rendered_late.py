"""Notifications store what happened (verb and parameters) and are rendered in the
reader's language; the text stored by earlier rows is kept and shown as it was."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="notification", old_name="title",
                               new_name="legacy_title"),
        migrations.RenameField(model_name="notification", old_name="body",
                               new_name="legacy_body"),
        migrations.RenameField(model_name="notification", old_name="url",
                               new_name="legacy_url"),
        migrations.AlterField(model_name="notification", name="legacy_title",
                              field=models.CharField(blank=True, max_length=255)),
        migrations.AddField(model_name="notification", name="params",
                            field=models.JSONField(blank=True, default=dict)),
    ]

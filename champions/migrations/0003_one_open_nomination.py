"""One open nomination per person and department (issue 12: concurrent nominations made
duplicates). Duplicates already made are closed first, so the constraint can be added:
the earliest open nomination stays open; later ones are marked declined with a reason
that names it. Nothing is deleted and nobody is notified."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, Min


def close_duplicate_open_nominations(apps, schema_editor):
    Nomination = apps.get_model("champions", "Nomination")
    open_ = Nomination.objects.filter(status="open")
    groups = (open_.values("nominee_id", "department_id")
              .annotate(n=Count("pk"), first=Min("pk")).filter(n__gt=1))
    for group in groups:
        (open_.filter(nominee_id=group["nominee_id"], department_id=group["department_id"])
         .exclude(pk=group["first"])
         .update(status="declined",
                 decision_reason=f"Duplicate of nomination #{group['first']}, closed "
                                 "automatically when one open nomination per person and "
                                 "department became a rule."))


class Migration(migrations.Migration):

    dependencies = [
        ('champions', '0002_roles'),
        ('portal', '0008_notification_preferences'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(close_duplicate_open_nominations, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='nomination',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('nominee', 'department'), name='champions_one_open_nomination'),
        ),
    ]

"""E-mail addresses unique whatever their case (issue 12: "Noor@Example.com" could be
set on a second account next to "noor@example.com", and concurrent sign-ups with one
address raised IntegrityError).

Existing data is checked first: two accounts whose addresses differ only in case are two
logins for one mailbox, and which one keeps the address is a person's decision (their
ideas, roles and history differ), so the migration stops and names them rather than
changing or merging anyone's account. Give one of them another address (or deactivate
and rename it) in the admin, then migrate again."""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


def refuse_case_duplicates(apps, schema_editor):
    User = apps.get_model("portal", "User")
    clashes = (User.objects.annotate(address=Lower("email")).values("address")
               .annotate(n=Count("pk")).filter(n__gt=1).values_list("address", flat=True))
    lines = [
        f"  {address}: " + ", ".join(
            f"#{pk} {email!r}" for pk, email in
            User.objects.annotate(address=Lower("email")).filter(address=address)
            .order_by("pk").values_list("pk", "email"))
        for address in clashes
    ]
    if lines:
        raise RuntimeError(
            "These accounts share an e-mail address that differs only in case; give all "
            "but one of each another address, then run migrate again:\n" + "\n".join(lines))


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('portal', '0008_notification_preferences'),
    ]

    operations = [
        migrations.RunPython(refuse_case_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('email'), name='portal_user_email_ci_unique', violation_error_message='Another account already uses this e-mail address.'),
        ),
    ]

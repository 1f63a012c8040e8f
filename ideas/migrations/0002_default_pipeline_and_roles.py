from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from people.roles import grant

# name: (order, kind, initial, reason required, target working days)
STAGES = {
    "Submitted": (0, "open", True, False, 2),
    "Triage": (1, "open", False, False, 2),
    "In review": (2, "open", False, False, 10),
    "Accepted": (3, "accepted", False, False, 20),
    "In progress": (4, "in_progress", False, False, None),
    "Implemented": (5, "implemented", False, False, None),
    "Impact measured": (6, "implemented", False, False, None),
    "Declined": (7, "declined", False, True, None),
    "Duplicate": (8, "duplicate", False, True, None),
    "Parked": (9, "parked", False, True, None),
}
OUTCOMES = ["Declined", "Duplicate", "Parked"]
EDGES = {
    "Submitted": ["Triage", *OUTCOMES],
    "Triage": ["In review", "Accepted", *OUTCOMES],
    "In review": ["Accepted", *OUTCOMES],
    "Accepted": ["In progress", "Declined", "Parked"],
    "In progress": ["Implemented", "Parked"],
    "Implemented": ["Impact measured"],
    "Parked": ["Triage", "In review"],
    "Declined": ["Triage"],
}


def create_pipeline(apps, schema_editor):
    Stage = apps.get_model("ideas", "Stage")
    stages = {}
    for name, (order, kind, initial, reason, target) in STAGES.items():
        stages[name], _ = Stage.objects.get_or_create(name=name, defaults={
            "order": order, "kind": kind, "is_initial": initial, "reason_required": reason,
            "response_target_days": target,
        })
    for name, targets in EDGES.items():
        stages[name].allowed_next.add(*[stages[t] for t in targets])


def create_roles(apps, schema_editor):
    review = ["ideas.review_idea", "ideas.view_confidential_idea"]
    grant(apps, {
        "Reviewer": review,
        "Programme admin": [*review, "ideas.add_stage", "ideas.change_stage",
                            "ideas.delete_stage", "ideas.view_stage", "ideas.view_idea"],
    })


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Serves the substring search of shared.search in every script.
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS ideas_idea_search_trgm ON ideas_idea "
            "USING gin (search_text gin_trgm_ops)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ideas_idea_search_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0001_initial"),
        ("portal", "0005_default_vocabularies"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_pipeline, migrations.RunPython.noop),
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(create_search_index, drop_search_index),
    ]

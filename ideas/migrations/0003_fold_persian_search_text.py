"""Rebuild search_text with shared.search.normalise(), which now folds Arabic yeh, alef
maksura and kaf to their Persian forms and drops the zero-width non-joiner and tatweel.

search_text is already normalised text, so normalising it again gives what
Idea.refresh_search_text() would build now, without rebuilding from each field."""

from django.db import migrations

from shared.search import normalise

BATCH = 1000


def refold(apps, schema_editor):
    Idea = apps.get_model("ideas", "Idea")
    changed = []
    for idea in Idea.objects.only("pk", "search_text").order_by("pk").iterator(chunk_size=BATCH):
        folded = normalise(idea.search_text)
        if folded != idea.search_text:
            idea.search_text = folded
            changed.append(idea)
        if len(changed) >= BATCH:
            Idea.objects.bulk_update(changed, ["search_text"])
            changed = []
    if changed:
        Idea.objects.bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("ideas", "0002_default_pipeline_and_roles")]
    operations = [migrations.RunPython(refold, migrations.RunPython.noop, elidable=True)]

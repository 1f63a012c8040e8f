from collections import Counter

from django.db import migrations

from shared.search import correctable, deletes, vocabulary_words, word_index


def reindex(apps, schema_editor):
    """Every idea's word indexes and the vocabulary again, now with the ICU words of
    Thai, Lao and Khmer text, as Idea.refresh_search_text and ideas.search.index_words
    build them (as 0016 did; historical models, so not ideas.search.rebuild_index)."""
    Idea = apps.get_model("ideas", "Idea")
    SearchWord = apps.get_model("ideas", "SearchWord")
    SearchWordKey = apps.get_model("ideas", "SearchWordKey")
    SearchWord.objects.all().delete()
    counts = Counter()
    last = 0
    while True:
        ideas = list(Idea.objects.filter(pk__gt=last).order_by("pk")
                     .only("pk", "title", "problem", "customer_detail", "search_text",
                           "status", "confidential")[:1000])
        if not ideas:
            break
        for idea in ideas:
            idea.search_title = word_index(idea.title)
            idea.search_body = word_index(idea.problem, idea.customer_detail)
            idea.search_words = word_index(idea.search_text)
            if idea.status == "submitted" and not idea.confidential:
                counts.update(vocabulary_words(idea.search_text))
                counts[""] += 1  # the ideas indexed (ideas.search.index_words)
        Idea.objects.bulk_update(ideas, ["search_title", "search_body", "search_words"])
        last = ideas[-1].pk
    words = list(counts.items())
    for i in range(0, len(words), 500):
        chunk = words[i:i + 500]
        SearchWord.objects.bulk_create([SearchWord(word=w, ideas=n) for w, n in chunk])
        # ideas.search.word_keys: a short Thai, Lao or Khmer word is only its own key.
        SearchWordKey.objects.bulk_create(
            [SearchWordKey(key=k, word_id=w) for w, _ in chunk if w
             for k in (deletes(w) if correctable(w) else [w])],
            ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ("ideas", "0017_idea_embedding"),
    ]

    operations = [
        migrations.RunPython(reindex, migrations.RunPython.noop),
    ]

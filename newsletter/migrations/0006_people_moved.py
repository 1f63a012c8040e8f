"""The newsletter points at people's models (moved from portal), by state only."""
import wagtail.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0002_moved_from_portal'),
        ('newsletter', '0005_you_said_we_did_chosen_ideas'),
    ]

    operations = [
        # State only: the tables stay where they are (see people/migrations/0001_initial.py).
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='newsletterissuepage',
                name='body',
                field=wagtail.fields.StreamField([('story', 3), ('insights', 7), ('you_said_we_did', 13), ('persona_spotlight', 16), ('links', 22)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'max_length': 150}), 1: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul']}), 2: ('wagtail.images.blocks.ImageBlock', [], {}), 3: ('wagtail.blocks.StructBlock', [[('heading', 0), ('text', 1), ('image', 2)]], {}), 4: ('wagtail.blocks.CharBlock', (), {'default': 'What customers told us'}), 5: ('wagtail.snippets.blocks.SnippetChooserBlock', ('champions.Insight',), {}), 6: ('wagtail.blocks.ListBlock', (5,), {'max_num': 8, 'min_num': 1}), 7: ('wagtail.blocks.StructBlock', [[('heading', 4), ('insights', 6)]], {}), 8: ('wagtail.blocks.CharBlock', (), {'default': 'You said, we did'}), 9: ('newsletter.blocks.DecidedIdeaChooserBlock', (), {}), 10: ('wagtail.blocks.ListBlock', (9,), {'default': [], 'help_text': 'Choose the ideas to tell readers about, in order. Leave empty to list the ideas decided since the previous issue.', 'max_num': 30}), 11: ('wagtail.blocks.BooleanBlock', (), {'default': False, 'help_text': 'Also list declined ideas (when none are chosen).', 'required': False}), 12: ('wagtail.blocks.IntegerBlock', (), {'default': 8, 'help_text': 'How many to list when none are chosen.', 'max_value': 30, 'min_value': 1}), 13: ('wagtail.blocks.StructBlock', [[('heading', 8), ('ideas', 10), ('include_declined', 11), ('limit', 12)]], {}), 14: ('wagtail.snippets.blocks.SnippetChooserBlock', ('people.CustomerSegment',), {}), 15: ('wagtail.blocks.TextBlock', (), {'required': False}), 16: ('wagtail.blocks.StructBlock', [[('persona', 14), ('text', 15)]], {}), 17: ('wagtail.blocks.CharBlock', (), {'default': 'Read more'}), 18: ('wagtail.blocks.CharBlock', (), {}), 19: ('wagtail.blocks.URLBlock', (), {}), 20: ('wagtail.blocks.StructBlock', [[('title', 18), ('url', 19)]], {}), 21: ('wagtail.blocks.ListBlock', (20,), {}), 22: ('wagtail.blocks.StructBlock', [[('heading', 17), ('links', 21)]], {})}),
            ),
        ]),
    ]

"""Training points at people's models (moved from portal), by state only."""
import django.db.models.deletion
import wagtail.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0002_moved_from_portal'),
        ('training', '0004_training_editor'),
    ]

    operations = [
        # State only: the tables stay where they are (see people/migrations/0001_initial.py).
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='lessonpage',
                name='body',
                field=wagtail.fields.StreamField([('text', 0), ('image', 1), ('video', 2), ('quote', 5), ('persona', 8), ('empathy_map', 15), ('journey_map', 22), ('five_whys', 26), ('call_to_action', 28)], blank=True, block_lookup={0: ('wagtail.blocks.RichTextBlock', (), {'features': ['h2', 'h3', 'bold', 'italic', 'link', 'ol', 'ul']}), 1: ('wagtail.images.blocks.ImageBlock', [], {}), 2: ('wagtail.embeds.blocks.EmbedBlock', (), {'help_text': 'A YouTube or Vimeo link.'}), 3: ('wagtail.blocks.TextBlock', (), {'label': 'What the customer said'}), 4: ('wagtail.blocks.CharBlock', (), {'label': "Who (e.g. 'spouse of a soldier')", 'required': False}), 5: ('wagtail.blocks.StructBlock', [[('quote', 3), ('attribution', 4)]], {}), 6: ('wagtail.snippets.blocks.SnippetChooserBlock', ('people.CustomerSegment',), {}), 7: ('wagtail.blocks.TextBlock', (), {'label': 'Why this persona matters here', 'required': False}), 8: ('wagtail.blocks.StructBlock', [[('persona', 6), ('note', 7)]], {}), 9: ('wagtail.snippets.blocks.SnippetChooserBlock', ('people.CustomerSegment',), {'required': False}), 10: ('wagtail.blocks.CharBlock', (), {}), 11: ('wagtail.blocks.ListBlock', (10,), {'label': 'Thinks'}), 12: ('wagtail.blocks.ListBlock', (10,), {'label': 'Feels'}), 13: ('wagtail.blocks.ListBlock', (10,), {'label': 'Says'}), 14: ('wagtail.blocks.ListBlock', (10,), {'label': 'Does'}), 15: ('wagtail.blocks.StructBlock', [[('persona', 9), ('thinks', 11), ('feels', 12), ('says', 13), ('does', 14)]], {}), 16: ('wagtail.blocks.CharBlock', (), {'label': 'Journey stage'}), 17: ('wagtail.blocks.ListBlock', (10,), {'label': 'Touchpoints'}), 18: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('delighted', 'delighted'), ('ok', 'fine'), ('frustrated', 'frustrated'), ('anxious', 'anxious')]}), 19: ('wagtail.blocks.CharBlock', (), {'required': False}), 20: ('wagtail.blocks.StructBlock', [[('stage', 16), ('touchpoints', 17), ('emotion', 18), ('note', 19)]], {}), 21: ('wagtail.blocks.ListBlock', (20,), {}), 22: ('wagtail.blocks.StructBlock', [[('title', 10), ('steps', 21)]], {}), 23: ('wagtail.blocks.CharBlock', (), {'label': 'The problem'}), 24: ('wagtail.blocks.ListBlock', (10,), {'label': 'Whys', 'max_num': 5}), 25: ('wagtail.blocks.CharBlock', (), {'label': 'Root cause'}), 26: ('wagtail.blocks.StructBlock', [[('problem', 23), ('whys', 24), ('root_cause', 25)]], {}), 27: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('/champions/insights/', 'Log a customer insight'), ('/ideas/new/', 'Submit an idea')]}), 28: ('wagtail.blocks.StructBlock', [[('text', 10), ('action', 27)]], {})}),
            ),
            migrations.AlterField(
                model_name='pathrule',
                name='department',
                field=models.ForeignKey(blank=True, help_text='Empty: any department.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.department'),
            ),
        ]),
    ]

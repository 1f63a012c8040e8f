from django.db import migrations

JOURNEY_STAGES = ["Discover", "Choose", "Buy", "Get started", "Use", "Get help", "Renew or leave"]
CHANNELS = ["Branch or store", "Chat", "E-mail", "Field visit", "Letter", "Mobile app",
            "Phone", "Social media", "Website"]


def create(apps, schema_editor):
    JourneyStage = apps.get_model("portal", "JourneyStage")
    Channel = apps.get_model("portal", "Channel")
    for order, name in enumerate(JOURNEY_STAGES):
        JourneyStage.objects.get_or_create(name=name, defaults={"order": order})
    for name in CHANNELS:
        Channel.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_vocabularies_notifications")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

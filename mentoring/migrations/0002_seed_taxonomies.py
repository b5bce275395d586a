from django.db import migrations

SPECIALISATIONS = [
    ("forhandsbedomning", "Förhandsbedömning"),
    ("barnavardsutredning", "Barnavårdsutredning"),
    ("placering-familjehem-hvb", "Placering i familjehem/HVB"),
    ("lvu", "LVU"),
    ("hedersrelaterat-vald", "Hedersrelaterat våld och förtryck"),
    ("samtal-med-barn", "Samtal med barn"),
]
TOPICS = [
    ("arendeplanering", "Ärendeplanering"),
    ("dokumentation", "Dokumentation"),
    ("samtal-med-barn", "Samtal med barn"),
    ("riskbedomning", "Riskbedömning"),
    ("samverkan", "Samverkan"),
    ("arbetsmiljo", "Arbetsmiljö och återhämtning"),
    ("etik-och-bemotande", "Etik och bemötande"),
    ("juridik", "Juridik (SoL och LVU)"),
]


def seed(apps, schema_editor):
    Specialisation = apps.get_model("mentoring", "Specialisation")
    SessionTopic = apps.get_model("mentoring", "SessionTopic")
    for code, name in SPECIALISATIONS:
        Specialisation.objects.get_or_create(code=code, defaults={"name": name})
    for code, name in TOPICS:
        SessionTopic.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

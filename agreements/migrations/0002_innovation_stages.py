"""The innovation chain is reference data every installation needs, so a migration creates it."""

from django.db import migrations

STAGES = [
    ("idea", "Business idea", 1),
    ("research", "Research and development", 2),
    ("prototype", "Prototype and pilot", 3),
    ("production", "Production", 4),
    ("promotion", "Promotion of the product or technology", 5),
]


def create_stages(apps, schema_editor):
    InnovationStage = apps.get_model("agreements", "InnovationStage")
    for code, name, position in STAGES:
        InnovationStage.objects.update_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [migrations.RunPython(create_stages, migrations.RunPython.noop)]

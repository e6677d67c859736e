# The profile moved here from portal (issue 12): its table, portal_profile, is kept with its rows.
# This migration only adds the model to accounts' state on the existing table; portal 0003 then
# drops it from portal's state, and 0002 renames the table. The chain portal 0002 -> accounts 0001
# -> portal 0003 -> accounts 0002 holds on a fresh database, on one migrated before the move, and
# when either app is migrated back.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, schema_editor, *, old_app, new_app):
    """The content type follows the model, so its permissions (and admin log entries) follow too.

    On a fresh database there is none yet: post_migrate creates the new one.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=new_app, model="profile").exists():
        ContentType.objects.using(db).filter(app_label=old_app, model="profile").update(app_label=new_app)


def content_type_to_accounts(apps, schema_editor):
    _move_content_type(apps, schema_editor, old_app="portal", new_app="accounts")


def content_type_to_portal(apps, schema_editor):
    _move_content_type(apps, schema_editor, old_app="accounts", new_app="portal")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("portal", "0002_profile_language"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Profile",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("language", models.CharField(blank=True, choices=[("en", "English"), ("ru", "Russian")], max_length=10, verbose_name="language")),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="profile", to=settings.AUTH_USER_MODEL, verbose_name="user")),
                    ],
                    options={
                        "verbose_name": "profile",
                        "verbose_name_plural": "profiles",
                        "db_table": "portal_profile",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_accounts, content_type_to_portal),
    ]

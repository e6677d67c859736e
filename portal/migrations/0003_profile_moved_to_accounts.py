# The profile moved to accounts (see accounts 0001): only portal's state forgets it; the table and
# its rows stay, and accounts 0002 renames the table.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0002_profile_language"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Profile")],
            database_operations=[],
        ),
    ]

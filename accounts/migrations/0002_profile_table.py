# The profile's table takes accounts' conventional name, once portal no longer claims it (portal
# 0003): migrating portal back first renames the table back here.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("portal", "0003_profile_moved_to_accounts"),
    ]

    operations = [
        migrations.AlterModelTable(name="profile", table=None),
    ]

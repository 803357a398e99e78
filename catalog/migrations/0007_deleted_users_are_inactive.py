"""A deleted user is not active (``User.save`` keeps it so from now on): make the stored rows agree."""

from django.db import migrations


def deactivate_deleted_users(apps, schema_editor):
    apps.get_model("catalog", "User").objects.filter(deleted=True, is_active=True).update(is_active=False)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_drop_document_generation")]

    operations = [migrations.RunPython(deactivate_deleted_users, migrations.RunPython.noop)]

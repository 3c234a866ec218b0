"""The "registrar" group with its admin permissions, and every registrar in it."""

from django.db import migrations


def forwards(apps, schema_editor):
    # Permissions are normally created after the whole migrate; create them now so the group
    # gets them on a fresh database too.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    from attestation.accounts.roles import registrar_group_sync

    registrar_group_sync(apps=apps)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="registrar").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("answers", "0002_initial"),
        ("applications", "0002_initial"),
        ("audit", "0001_initial"),
        ("commissions", "0003_appeal_commission"),
        ("defense", "0001_initial"),
        ("grading", "0001_initial"),
        ("imports", "0001_import_job"),
        ("notices", "0001_notice"),
        ("proctoring", "0002_decision_status_before_camera_status"),
        ("tickets", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

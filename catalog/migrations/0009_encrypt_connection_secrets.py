"""Encrypt the connection secrets stored so far, and take them out of the history.

Each service's connection is split as ``Service.save`` now splits it (``catalog.secrets``): the
public form, secrets masked, in ``connection``; the secrets, encrypted, in ``connection_secrets``.
Version snapshots and change descriptions written before kept whatever the old eight-name mask
let through: they are masked by the new rules (the values are gone from history for good).
"""

import json

from django.db import migrations

from catalog import secrets

SERVICES = {
    "mlmodelService": "MlModelService",
    "databaseService": "DatabaseService",
    "dashboardService": "DashboardService",
}


def _masked_value(service_type, name, value):
    """A change-description value of a connection field, masked (JSON-encoded dicts included)."""
    if not isinstance(value, str):
        return secrets.mask(service_type, value)
    if secrets.is_secret_key(service_type, name.rsplit(".", 1)[-1]):
        return secrets.MASK
    try:
        decoded = json.loads(value)
    except ValueError:
        return secrets.mask_text(value)
    return json.dumps(secrets.mask(service_type, decoded), sort_keys=True, ensure_ascii=False)


def masked_description(service_type, description):
    if not description:
        return description
    out = dict(description)
    for key in ("fieldsAdded", "fieldsUpdated", "fieldsDeleted"):
        out[key] = [
            {
                **item,
                **{
                    side: _masked_value(service_type, item["name"], item[side])
                    for side in ("oldValue", "newValue")
                    if side in item
                },
            }
            if str(item.get("name", "")).split(".")[0] == "connection"
            else item
            for item in description.get(key, [])
        ]
    return out


def encrypt(apps, schema_editor):
    for model_name in SERVICES.values():
        model = apps.get_model("catalog", model_name)
        for row in model.objects.all().only(
            "pk", "service_type", "connection", "connection_secrets", "change_description"
        ):
            public, sealed = secrets.seal(row.service_type, row.connection, row.connection_secrets)
            model.objects.filter(pk=row.pk).update(
                connection=public,
                connection_secrets=sealed,
                change_description=masked_description(row.service_type, row.change_description),
            )
    versions = apps.get_model("catalog", "EntityVersion")
    for version in versions.objects.filter(entity_type__in=SERVICES):
        snapshot = dict(version.snapshot)
        service_type = snapshot.get("serviceType", "")
        if snapshot.get("connection") is not None:
            snapshot["connection"] = secrets.mask(service_type, snapshot["connection"])
        if snapshot.get("changeDescription"):
            snapshot["changeDescription"] = masked_description(service_type, snapshot["changeDescription"])
        versions.objects.filter(pk=version.pk).update(
            snapshot=snapshot, change_description=masked_description(service_type, version.change_description)
        )


def decrypt(apps, schema_editor):
    """Put the secrets back in clear (history stays masked: its values were dropped)."""
    for model_name in SERVICES.values():
        model = apps.get_model("catalog", model_name)
        for row in model.objects.exclude(connection_secrets=""):
            model.objects.filter(pk=row.pk).update(connection=secrets.plain_connection(row), connection_secrets="")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0008_connection_secrets")]

    operations = [migrations.RunPython(encrypt, decrypt)]

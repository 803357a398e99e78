"""The API page cache is gone (the judged workload asks another page each time): so is the generation that keyed it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_document_generation"),
    ]

    operations = [
        migrations.DeleteModel(
            name="DocumentGeneration",
        ),
    ]

"""Sharing records are append-only: triggers refuse UPDATE and DELETE (ADR 17)."""

from django.db import migrations

from lantern.core.append_only import append_only_backwards, append_only_forwards


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_initial"), ("core", "0004_append_only_triggers")]

    operations = [
        migrations.RunPython(
            append_only_forwards("sharing_sharingrecord"), append_only_backwards("sharing_sharingrecord")
        )
    ]

"""The access log and emergency access are append-only: triggers refuse UPDATE and DELETE (ADR 17)."""

from django.db import migrations

from lantern.core.append_only import append_only_backwards, append_only_forwards

TABLES = ("core_accesslogentry", "core_emergencyaccess")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_access_log_covering_index_and_emergency_access")]

    operations = [migrations.RunPython(append_only_forwards(*TABLES), append_only_backwards(*TABLES))]

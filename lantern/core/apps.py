from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lantern.core"
    label = "core"
    verbose_name = "Core: audit and shared parts"

    def ready(self) -> None:
        # Registers lantern_audit_erasable() on every SQLite connection (the append-only triggers use it).
        from lantern.core import (
            append_only,  # noqa: F401
            lookups,  # noqa: F401  (registers ``__among``)
        )

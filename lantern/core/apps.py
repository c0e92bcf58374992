from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


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
        from lantern.core.request_memo import forget_on_change

        # Who may see which child, worked out once a request, is forgotten when what decides it changes.
        for model in ("agencies.Involvement", "agencies.Professional", "core.EmergencyAccess"):
            for signal in (post_save, post_delete):
                signal.connect(forget_on_change, sender=model, dispatch_uid=f"request-memo-{model}-{signal}")

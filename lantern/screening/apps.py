from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "lantern.screening"
    label = "screening"
    verbose_name = "Screening rules and alerts"

    def ready(self) -> None:
        # A bad local configuration (an unknown rule, a negative window) stops Lantern at start, saying why.
        from lantern.screening.config import screening_config

        screening_config()

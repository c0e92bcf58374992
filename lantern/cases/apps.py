from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lantern.cases"
    label = "cases"
    verbose_name = "Case episodes, reviews, escalations, supervision and levels of need"

    def ready(self) -> None:
        # A bad continuum of need (a missing level, an empty indicator) stops Lantern at start, saying why.
        from lantern.cases.continuum import continuum

        continuum()

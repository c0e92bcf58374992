from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "lantern.agencies"
    label = "agencies"
    verbose_name = "Agencies, professionals and involvements"

    def ready(self) -> None:
        from lantern.agencies import accounts  # noqa: F401 - connects the sign-in and account signals

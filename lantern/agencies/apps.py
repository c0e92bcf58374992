from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "lantern.agencies"
    label = "agencies"
    verbose_name = "Agencies, professionals and involvements"

from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "lantern.casework"
    label = "casework"
    verbose_name = "Plans, reviews, agreements and meetings"

from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "lantern.health"
    label = "health"
    verbose_name = "Health feeds (FHIR R4)"

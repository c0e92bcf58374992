from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "lantern.assessments"
    label = "assessments"
    verbose_name = "Graded assessments"

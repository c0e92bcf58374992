from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "lantern.retention"
    label = "retention"
    verbose_name = "Retention and subject access"

    def ready(self) -> None:
        # A bad retention configuration (an unknown record type, a period that is not a number of years)
        # stops Lantern at start, naming the key and the value.
        from lantern.retention.config import retention_config

        retention_config()

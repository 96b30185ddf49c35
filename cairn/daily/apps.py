from django.apps import AppConfig


class DailyConfig(AppConfig):
    name = "cairn.daily"
    label = "daily"
    verbose_name = "Today"

    def ready(self) -> None:
        # The worker step that sends each person's digest registers itself with the worker.
        from cairn.daily import digest  # noqa: F401

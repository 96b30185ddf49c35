from django.apps import AppConfig


class DailyConfig(AppConfig):
    name = "cairn.daily"
    label = "daily"
    verbose_name = "Today"

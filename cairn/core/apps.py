from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cairn.core"
    label = "core"
    verbose_name = "Cairn core"

    def ready(self) -> None:
        from cairn import checks  # noqa: F401  (registers the system checks)
        from cairn.core import jobs  # noqa: F401  (registers the built-in job steps)

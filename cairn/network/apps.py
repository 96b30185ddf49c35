from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "cairn.network"
    label = "network"
    verbose_name = "Network"

    def ready(self) -> None:
        # Today's candidates from the network register themselves with the daily registry.
        import cairn.network.activity  # noqa: F401
        from cairn.network import calendar, daily  # noqa: F401

from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "cairn.network"
    label = "network"
    verbose_name = "Network"

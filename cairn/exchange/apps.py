from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "cairn.exchange"
    label = "exchange"
    verbose_name = "Exchange"

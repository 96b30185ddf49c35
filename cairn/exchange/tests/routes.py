"""Isolation cases for Exchange's pages: importing and exporting keep their own lists."""

from cairn.exchange.tests.routes_import import ROUTES as IMPORT_ROUTES

try:
    from cairn.exchange.tests.routes_export import ROUTES as EXPORT_ROUTES
except ModuleNotFoundError:
    EXPORT_ROUTES = {}

ROUTES = {**IMPORT_ROUTES, **EXPORT_ROUTES}

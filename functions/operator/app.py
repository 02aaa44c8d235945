"""The platform operator's API (``/operator/v1``, IAM-authorized): routes in ``operator_routes``."""

from operator_routes import router

from vitrine.http.route_table import api_handler

handler = api_handler(router)

"""ERP API: checks each batch, queues its items and answers 202 with the job. Routes in ``erp_routes``."""

import erp_routes

from vitrine.http.route_table import api_handler

handler = api_handler(erp_routes.router)

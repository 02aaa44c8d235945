"""ERP API: checks each batch, queues its items and answers 202 with the job; the job's report.

Routes in ``erp_stock_routes`` (stock counts), ``erp_master_data_routes`` (products, prices, people, the CSV) and
``erp_job_routes`` (the reports); the event's ``routeKey`` picks the one module a request needs
(``vitrine.http.route_table``), so the stock counts' cold start does not import the other kinds' models and the
CSV import.
"""

from vitrine.http.route_table import api_handler

ROUTE_MODULES = {
    "POST /erp/v1/stock": "erp_stock_routes",
    "POST /erp/v1/products": "erp_master_data_routes",
    "POST /erp/v1/price-tables": "erp_master_data_routes",
    "POST /erp/v1/prices": "erp_master_data_routes",
    "POST /erp/v1/customers": "erp_master_data_routes",
    "POST /erp/v1/sellers": "erp_master_data_routes",
    "POST /erp/v1/products/csv": "erp_master_data_routes",
    "GET /erp/v1/jobs/{job_id}": "erp_job_routes",
    "POST /merchant/v1/products/csv": "erp_master_data_routes",
    "GET /merchant/v1/jobs/{job_id}": "erp_job_routes",
}

handler = api_handler(route_modules=ROUTE_MODULES)

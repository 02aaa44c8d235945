"""Storefront and merchant API (HTTP API payload v2). Routes live in the ``*_routes`` modules beside this one.

API Gateway has matched the route already: the event's ``routeKey`` picks the module that serves it from
``ROUTE_MODULES``, and only that module is imported (``vitrine.http.route_table``), so serving a storefront page
never loads the merchant, checkout or webhook routes and their rules. A route added to a module needs its line here
(``tests/unit/test_route_parity.py`` checks the table against what the modules declare).
"""

from vitrine.http.route_table import api_handler

ROUTE_MODULES = {
    "GET /health": "system_routes",
    "GET /openapi.json": "system_routes",
    "GET /api/catalogs/{slug}": "storefront_routes",
    "GET /api/catalogs/{slug}/products": "storefront_routes",
    "GET /c/{slug}": "storefront_routes",
    "GET /c/{slug}/p/{product_sku}": "storefront_routes",
    "GET /img/{key+}": "storefront_routes",
    "GET /s/{name}": "storefront_routes",
    "GET /c/{slug}/entrar": "storefront_routes",
    "GET /c/{slug}/pedido/{order_id}": "storefront_routes",
    "GET /c/{slug}/previa/{token}": "storefront_routes",
    "POST /api/carts/quote": "checkout_routes",
    "POST /api/checkout": "checkout_routes",
    "GET /api/orders/{order_id}": "checkout_routes",
    "POST /api/sessions": "session_routes",
    "DELETE /api/sessions": "session_routes",
    "GET /api/session": "session_routes",
    "GET /api/seller/customers": "session_routes",
    "GET /api/customer/orders": "session_routes",
    "GET /api/customer": "session_routes",
    "GET /api/catalogs/{slug}/prices": "session_routes",
    "GET /merchant/v1/events": "merchant_routes",
    "POST /merchant/v1/catalogs": "merchant_routes",
    "GET /merchant/v1/catalogs": "merchant_routes",
    "GET /merchant/v1/catalogs/{catalog_id}": "merchant_routes",
    "PUT /merchant/v1/catalogs/{catalog_id}": "merchant_routes",
    "POST /merchant/v1/catalogs/{catalog_id}/publish": "merchant_routes",
    "POST /merchant/v1/catalogs/{catalog_id}/unpublish": "merchant_routes",
    "POST /merchant/v1/catalogs/{catalog_id}/preview": "merchant_routes",
    "GET /merchant/v1/settings": "merchant_routes",
    "PUT /merchant/v1/settings": "merchant_routes",
    "GET /merchant/v1/orders": "order_routes",
    "GET /merchant/v1/orders/{order_id}": "order_routes",
    "POST /merchant/v1/orders/{order_id}/cancel": "order_routes",
    "POST /merchant/v1/orders/{order_id}/review": "order_routes",
    "POST /merchant/v1/uploads": "image_routes",
    "PUT /merchant/v1/products/{sku}/images": "image_routes",
    "PUT /merchant/v1/catalogs/{catalog_id}/cover": "image_routes",
    "PUT /merchant/v1/sellers/{seller_id}": "people_routes",
    "GET /merchant/v1/sellers": "people_routes",
    "PUT /merchant/v1/sellers/{seller_id}/customers": "people_routes",
    "GET /merchant/v1/sellers/{seller_id}/customers": "people_routes",
    "PUT /merchant/v1/customers/{customer_id}": "people_routes",
    "GET /merchant/v1/customers/{customer_id}": "people_routes",
    "PUT /merchant/v1/customers/{customer_id}/web-access": "people_routes",
    "DELETE /merchant/v1/customers/{customer_id}/web-access": "people_routes",
    "POST /merchant/v1/webhook-endpoints": "webhook_endpoint_routes",
    "GET /merchant/v1/webhook-endpoints": "webhook_endpoint_routes",
    "DELETE /merchant/v1/webhook-endpoints/{endpoint_id}": "webhook_endpoint_routes",
    "POST /merchant/v1/webhook-endpoints/{endpoint_id}/rotate-secret": "webhook_endpoint_routes",
    "GET /merchant/v1/webhook-endpoints/{endpoint_id}/deliveries": "webhook_endpoint_routes",
    "POST /merchant/v1/webhook-deliveries/{delivery_id}/replay": "webhook_endpoint_routes",
    "PUT /merchant/v1/erp-connector": "erp_connector_routes",
    "GET /merchant/v1/erp-connector": "erp_connector_routes",
    "DELETE /merchant/v1/erp-connector": "erp_connector_routes",
    "GET /merchant/v1/profile": "shop_profile_routes",
    "PUT /merchant/v1/profile": "shop_profile_routes",
    "GET /api/cep/{cep}": "cep_routes",
}

handler = api_handler(route_modules=ROUTE_MODULES)

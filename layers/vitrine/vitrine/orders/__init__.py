"""Orders (pedidos): what a shopper, a seller or a B2B customer buys, from checkout to delivery."""

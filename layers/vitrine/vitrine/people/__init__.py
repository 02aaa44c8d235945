"""Sellers (vendedores) and B2B customers of a merchant, and how they sign in."""

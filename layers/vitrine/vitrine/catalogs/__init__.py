"""Catalogs (vitrines virtuais): what a merchant shares, and which products a shopper sees in it."""

"""Payments: the gateway port (``port``), its pagar.me v5 adapter (``pagarme``), the Pix BR Code (``pix``).

Nothing is imported here: a handler that never charges pays nothing for ``requests`` at cold start.
"""

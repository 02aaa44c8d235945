"""Vitrine's core: domain rules, the DynamoDB repository, events and adapters shared by every function.

Shipped as a Lambda layer (``layers/vitrine``) and installed editable for tests and the local stack.
Nothing here does work at import time: settings and AWS clients are built on first use.
"""

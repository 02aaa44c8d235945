"""Webhooks in (from the payment gateway) and, later, out (to ERPs and channels)."""

"""Loyalty points by the professional's CPF: the merchant's scoring settings, the rules that turn invoiced lines
into integer points, the per-order ledger that sends each accrual and reversal once, and the partner port."""

"""The merchant's ledger: one signed entry per money movement of an order, with the day it becomes payable."""

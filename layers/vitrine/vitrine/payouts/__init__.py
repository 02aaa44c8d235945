"""Payouts: when and where a merchant's money goes (its payout settings and gateway recipient), and, as issue 16
builds on, the payout runs that transfer it."""

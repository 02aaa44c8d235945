"""The payment methods a shopper can pay with: what catalogs offer, orders record and the ledger's terms are per.

A module of its own: the gateway port (``payments.port``) defines some fifteen request and answer models, which
a catalog's view, the ledger rules and the ERP's product models have no use for."""

from enum import StrEnum


class PaymentMethod(StrEnum):
    PIX = "pix"
    CARD = "card"
    BOLETO = "boleto"

"""What can go wrong when Vitrine talks to the payment gateway, as domain errors mapped to HTTP once.

A declined card is not an HTTP error at the gateway (pagar.me answers 200 with the charge ``failed``), so
``create_charge`` returns that charge; ``PaymentDeclined`` is for the caller that turns it into a 402.
"""

from typing import TYPE_CHECKING

from vitrine.errors import ConfigurationError, DependencyUnavailable, InvalidInput, NotFound, VitrineError

if TYPE_CHECKING:
    from vitrine.payments.port import Charge


class PaymentDeclined(VitrineError):
    """The issuer or the antifraud refused the payment: the shopper can try another card or method."""

    status = 402
    code = "payment_declined"

    @classmethod
    def from_charge(cls, charge: "Charge") -> "PaymentDeclined":
        return cls(
            "o pagamento foi recusado; tente outro cartão ou outra forma de pagamento",
            details={"charge_id": charge.charge_id, "reason": charge.decline_reason},
        )


class PaymentRequestRejected(InvalidInput):
    """The gateway refused the request itself (4xx with field errors): an expired card token, bad data."""

    code = "payment_rejected"


class ChargeNotFound(NotFound):
    code = "charge_not_found"


class RecipientNotFound(NotFound):
    code = "recipient_not_found"


class PaymentGatewayUnavailable(DependencyUnavailable):
    """5xx past the retries, a timeout, a refused connection, a rate limit, or a request still in flight."""


class PaymentGatewayResponseInvalid(DependencyUnavailable):
    """The gateway answered 2xx with a body Vitrine cannot read: a 503 and a log line, never a guess."""


class PaymentGatewayAuthenticationFailed(ConfigurationError):
    """The gateway refused our secret key (401/403): the deployment is wrong, no retry will fix it."""

"""The platform operator's API (``/operator/v1``): onboarding merchants. Authorized by IAM (``AWS_IAM`` routes: a
SigV4-signed request of a caller whose policy allows ``execute-api:Invoke`` on them), never by a merchant's key.
``vitrine-operator`` is its command line. The rules are ``vitrine.people.onboarding``."""

from pydantic import Field

from vitrine.http.origins import public_origin
from vitrine.http.resolver import Router
from vitrine.http.routing import Auth, Routes, principal_of
from vitrine.ids import MerchantId
from vitrine.people import onboarding
from vitrine.people.staff import Invitation

router = Router()
routes = Routes(router, function="OperatorFunction", auth=Auth.OPERATOR_IAM, tags=("operator",))


class OnboardedView(onboarding.Onboarded):
    invitation_url: str | None = Field(description="The owner's link to choose a password: send it to them.")


class InvitationView(Invitation):
    invitation_url: str


def _link(token: str) -> str:
    return f"{public_origin(router.current_event)}/painel/convite#{token}"


@routes.post(
    "/operator/v1/merchants",
    summary="Onboard a merchant: its name and CNPJ, stores, profile, and its owner's invitation",
    body=onboarding.NewMerchant,
    response=OnboardedView,
    status=201,
    errors=(409,),
    notes={409: "A merchant with that id exists (with its owner), or the owner's e-mail is someone's login."},
)
def create_merchant(body: onboarding.NewMerchant) -> OnboardedView:
    from aws_lambda_powertools import Logger

    Logger().info("merchant onboarded", extra={"merchant_id": body.merchant_id, "by": principal_of(router).user_arn})
    done = onboarding.onboard(body)
    url = _link(done.invitation.token) if done.invitation else None
    return OnboardedView(**dict(done), invitation_url=url)


@routes.get(
    "/operator/v1/merchants/{merchant_id}",
    summary="A merchant as onboarded: name, CNPJ, stores, and whether its owner is in",
    response=onboarding.Onboarded,
    errors=(404,),
)
def get_merchant(merchant_id: MerchantId) -> onboarding.Onboarded:
    return onboarding.describe(merchant_id)


@routes.post(
    "/operator/v1/merchants/{merchant_id}/owner-invitation",
    summary="A new invitation for an owner who lost theirs and has not chosen a password yet",
    response=InvitationView,
    status=201,
    errors=(404, 409),
)
def invite_owner(merchant_id: MerchantId) -> InvitationView:
    invitation = onboarding.invite_owner_again(merchant_id)
    return InvitationView(**dict(invitation), invitation_url=_link(invitation.token))

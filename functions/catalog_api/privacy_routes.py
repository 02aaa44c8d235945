"""The shopper's and the B2B customer's privacy routes (LGPD): the revocation link a marketing message carries
(``/privacidade/{token}``, no sign-in: the signed token is the credential) and the signed-in customer's consents.

Both show the consents in force and revoke marketing; what is revoked is recorded as a new consent record
(collection point ``link`` or ``customer_portal``) with the request's evidence. A forged token is a 404.
"""

from typing import Annotated, Literal

from pydantic import AwareDatetime, ConfigDict, Field

from vitrine.auth.sessions import Role
from vitrine.consents import privacy
from vitrine.consents.models import ConsentRecord, Purpose
from vitrine.errors import NotFound
from vitrine.http.evidence import evidence_of
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Auth, Routes, json_response
from vitrine.ids import Slug
from vitrine.lazy_models import LazyModel

router = Router()
routes = Routes(router, function="CatalogApiFunction", auth=Auth.PUBLIC, tags=("privacy",))
RevocationToken = Annotated[
    str,
    Field(max_length=80, pattern=r"^[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$", description="The revocation link's token."),
]


class Grant(LazyModel):
    """A consent in force, as the person sees it."""

    purpose: str = Field(description="order_updates, marketing or loyalty_sharing.")
    channel: str = Field(description="whatsapp, sms, email, or any.")
    text_version: str
    collected_at: AwareDatetime

    @classmethod
    def of(cls, record: ConsentRecord) -> "Grant":
        return cls(
            purpose=record.purpose.value,
            channel=record.channel,
            text_version=record.text_version,
            collected_at=record.evidence.at,
        )


class Grants(LazyModel):
    granted: list[Grant] = Field(description="The consents in force.")
    revoked: int = Field(default=0, description="How many grants this request revoked.")


class RevokeRequest(LazyModel):
    model_config = ConfigDict(extra="forbid")

    purposes: list[Literal["marketing", "loyalty_sharing"]] = Field(
        min_length=1, max_length=2, description="What to revoke (order updates go with the order: not revocable)."
    )


def _pages():
    import storefront_page

    return storefront_page


def _grants(granted: list[ConsentRecord], revoked: int = 0) -> Grants:
    return Grants(granted=[Grant.of(r) for r in granted], revoked=revoked)


@routes.get(
    "/privacidade/{token}",
    summary="The privacy page of a marketing message's link: consents in force, revoke marketing (HTML, pt-BR)",
    content_type="text/html",
    errors=(404,),
)
def link_page(token: RevocationToken) -> Response:
    from vitrine.catalogs.shop_identity import shop_identity

    try:
        view = privacy.link_view(token)
    except NotFound:
        return _pages().privacy_not_found()
    # The controller, by name: whom the shopper's consents were given to.
    return _pages().render_privacy(shop_identity(view.merchant_id).name or "Privacidade", {"token": token})


@routes.get(
    "/privacidade/{token}/consents",
    summary="The consents in force of the link's shopper",
    response=Grants,
    errors=(404,),
)
def link_consents(token: RevocationToken) -> Response:
    return json_response(200, _grants(privacy.link_view(token).granted))


@routes.post(
    "/privacidade/{token}",
    summary="Revoke the link's shopper's marketing consent, on every channel (no sign-in: the token is the credential)",
    response=Grants,
    errors=(404,),
)
def link_revoke(token: RevocationToken) -> Response:
    revoked = privacy.revoke_by_link(token, evidence_of(router))
    return json_response(200, _grants(privacy.link_view(token).granted, len(revoked)))


@routes.get(
    "/c/{slug}/privacidade",
    summary="The signed-in B2B customer's privacy page: consents in force, revoke marketing (HTML, pt-BR)",
    content_type="text/html",
    errors=(404,),
)
def portal_page(slug: Slug) -> Response:
    from vitrine.catalogs.storefront import published_catalog

    try:
        catalog = published_catalog(slug)
    except NotFound:
        return _pages().not_found()
    return _pages().render_privacy(catalog.title, {"slug": slug}, (f"/c/{slug}", "Voltar ao catálogo"))


@routes.get(
    "/api/customer/consents",
    summary="The signed-in B2B customer's consents in force",
    auth=Auth.SESSION,
    response=Grants,
    errors=(403,),
)
def my_consents() -> Response:
    session = routes.principal().require(Role.CUSTOMER)
    view = privacy.customer_view(session.merchant_id, session.subject_id)
    return json_response(200, _grants(view.granted))


@routes.post(
    "/api/customer/consents/revoke",
    summary="The signed-in B2B customer revokes consents (marketing, loyalty sharing)",
    auth=Auth.SESSION,
    body=RevokeRequest,
    response=Grants,
    errors=(403,),
)
def revoke_mine(body: RevokeRequest) -> Response:
    session = routes.principal().require(Role.CUSTOMER)
    purposes = [Purpose(p) for p in body.purposes]
    revoked = privacy.revoke_for_customer(session.merchant_id, session.subject_id, purposes, evidence_of(router))
    view = privacy.customer_view(session.merchant_id, session.subject_id)
    return json_response(200, _grants(view.granted, len(revoked)))

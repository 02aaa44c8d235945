"""Merchant routes for consents and data-subject requests (LGPD arts. 8 and 18; permission ``customers``).

A member who is one of the shop's sellers files no requests and reads no one's consents: people's data is the
shop's to answer for.
"""

from typing import Annotated

from pydantic import ConfigDict, Field, model_validator

from vitrine.auth.permissions import Permission
from vitrine.consents import privacy, subject_requests
from vitrine.consents.models import ConsentRecord, DataSubjectRequest, SubjectRequestKind
from vitrine.documents import CpfOrCnpj
from vitrine.errors import Forbidden
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Auth, Routes, json_response
from vitrine.inputs import Email, Phone
from vitrine.lazy_models import LazyModel

RequestId = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$", description="The request's id.")]
router = Router()
routes = Routes(
    router,
    function="CatalogApiFunction",
    auth=Auth.MERCHANT_API_KEY,
    tags=("merchant",),
    permission=Permission.CUSTOMERS,
)


class PersonQuery(LazyModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    document: CpfOrCnpj | None = Field(default=None, description="The person's CPF or the company's CNPJ.")
    email: Email | None = None
    phone: Phone | None = None

    @model_validator(mode="after")
    def _someone(self) -> "PersonQuery":
        if not (self.document or self.email or self.phone):
            raise ValueError("name the person by document, email or phone")
        return self


class SubjectRequestInput(PersonQuery):
    kind: SubjectRequestKind = Field(description="export: everything held about the person; erase: anonymise it.")


class ConsentRecords(LazyModel):
    records: list[ConsentRecord] = Field(description="Every record about the person, newest first.")


class SubjectRequests(LazyModel):
    requests: list[DataSubjectRequest] = Field(description="Newest first.")


class SubjectExport(LazyModel):
    model_config = ConfigDict(extra="allow")

    request_id: str
    generated_at: str
    holders: dict[str, list[dict]] = Field(description="What each holder of personal data holds about the person.")


def _not_for_sellers() -> None:
    if routes.seller_scope() is not None:
        raise Forbidden("people's data requests are the shop's; a seller cannot file or read them")


def _requester() -> str | None:
    """Who filed it: the API key's id (``key:<id>``) or the member of staff's (``staff:<id>``)."""
    principal = routes.principal()
    if key_id := getattr(principal, "key_id", None):
        return f"key:{key_id}"
    staff_id = getattr(principal, "staff_id", None)
    return f"staff:{staff_id}" if staff_id else None


@routes.get(
    "/merchant/v1/consents",
    summary="A person's consent records (grants and revocations), newest first",
    query=PersonQuery,
    response=ConsentRecords,
)
def list_consents(query: PersonQuery) -> ConsentRecords:
    _not_for_sellers()
    found = privacy.records_for(routes.merchant_id(), document=query.document, email=query.email, phone=query.phone)
    return ConsentRecords(records=found)


@routes.post(
    "/merchant/v1/data-subject-requests",
    summary="File a data-subject request (LGPD art. 18): export or erase a person's data; answered at once",
    body=SubjectRequestInput,
    response=DataSubjectRequest,
    status=201,
)
def file_request(body: SubjectRequestInput) -> Response:
    _not_for_sellers()
    request = subject_requests.file_request(
        routes.merchant_id(),
        body.kind,
        document=body.document,
        email=body.email,
        phone=body.phone,
        requested_by=_requester(),
    )
    return json_response(201, request)


@routes.get(
    "/merchant/v1/data-subject-requests",
    summary="The merchant's data-subject requests, newest first",
    response=SubjectRequests,
)
def list_requests() -> SubjectRequests:
    _not_for_sellers()
    return SubjectRequests(requests=subject_requests.requests_of(routes.merchant_id()))


@routes.get(
    "/merchant/v1/data-subject-requests/{request_id}",
    summary="One data-subject request and its outcome",
    response=DataSubjectRequest,
    errors=(404,),
)
def get_request(request_id: RequestId) -> DataSubjectRequest:
    _not_for_sellers()
    return subject_requests.request_of(routes.merchant_id(), request_id)


@routes.get(
    "/merchant/v1/data-subject-requests/{request_id}/export",
    summary="An export request's JSON: everything held about the person (kept a week)",
    response=SubjectExport,
    errors=(404,),
)
def get_export(request_id: RequestId) -> Response:
    _not_for_sellers()
    body = subject_requests.export_of(routes.merchant_id(), request_id)
    headers = {"Content-Disposition": f'attachment; filename="titular-{request_id}.json"'}
    return json_response(200, body, headers=headers)

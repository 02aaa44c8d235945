"""The merchant's staff and their console sessions: sign in, invitations, members and permission groups.

Signing in (``POST /merchant/v1/sessions``) answers the session twice, as the storefront's sign-in does: in the
console's ``HttpOnly; SameSite=Strict`` cookie (``vitrine_console``; ``Secure`` in AWS) for the console's pages, and
in the body for API clients (``Authorization: Bearer <token>``). A write that rides on the cookie sends the
session's ``X-CSRF-Token`` (given at sign-in and by ``GET /merchant/v1/session``). Sign-in is throttled per client
address and per login; its 401 never says whether the login exists. The rules are ``vitrine.people.staff``.
"""

from pydantic import AwareDatetime, ConfigDict, Field

from vitrine.auth.permissions import ANY_CALLER, Permission
from vitrine.auth.sessions import csrf_token, session_cookie
from vitrine.http.resolver import Response, Router
from vitrine.http.routing import Auth, Routes, json_response
from vitrine.lazy_models import LazyModel
from vitrine.people import staff
from vitrine.people.models import Login, Password
from vitrine.people.staff_access import StaffPrincipal

router = Router()
routes = Routes(router, function="CatalogApiFunction", auth=Auth.MERCHANT_API_KEY, tags=("staff",))

PRIVATE = {"Cache-Control": "private, no-store"}
GroupId = staff.GroupId
StaffId = staff.StaffId


class SignInRequest(LazyModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: Login
    password: str = Field(min_length=1, max_length=128, json_schema_extra={"format": "password"})


class ConsoleSession(LazyModel):
    expires_at: AwareDatetime
    token: str = Field(description="For API clients: send as 'Authorization: Bearer <token>'.")
    csrf_token: str = Field(description="Send as X-CSRF-Token on writes that ride on the console cookie.")
    member: staff.StaffMember


class AcceptInvitation(LazyModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=20, max_length=100, description="The token of the invitation link (after #).")
    password: Password


class Caller(LazyModel):
    kind: str = Field(description="`staff` (a console session) or `api_key`.")
    merchant_id: str
    permissions: list[Permission]
    member: staff.StaffMember | None = Field(description="The signed-in member (a console session).")
    key_id: str | None = Field(description="The API key's id (a key).")
    csrf_token: str | None = Field(description="The console session's CSRF token, when it rides on the cookie.")


class StaffList(LazyModel):
    staff: list[staff.StaffMember]


class CreatedStaff(LazyModel):
    member: staff.StaffMember
    invitation: staff.Invitation | None = Field(description="When no password was given: the one-time link's token.")


class GroupList(LazyModel):
    groups: list[staff.Group]


def _signed_in(signed: staff.SignedInStaff, status: int) -> Response:
    view = ConsoleSession(
        expires_at=signed.session.expires_at,
        token=signed.token,
        csrf_token=csrf_token(signed.session),
        member=signed.member,
    )
    response = json_response(status, view, headers=PRIVATE)
    response.cookies.append(session_cookie(signed.token, signed.session))
    return response


@routes.post(
    "/merchant/v1/sessions",
    summary="Sign in to the console as a member of the merchant's staff",
    auth=Auth.PUBLIC,
    body=SignInRequest,
    response=ConsoleSession,
    status=201,
    errors=(401, 429),
)
def sign_in(body: SignInRequest) -> Response:
    address = router.current_event.request_context.http.source_ip
    return _signed_in(staff.sign_in(body.email, body.password, address=address), 201)


@routes.delete(
    "/merchant/v1/sessions",
    summary="Sign out of the console: clears the console cookie",
    auth=Auth.PUBLIC,
    status=204,
)
def sign_out() -> Response:
    response = Response(status_code=204, body="", headers=PRIVATE)
    response.cookies.append(session_cookie(None, name="vitrine_console"))
    return response


@routes.post(
    "/merchant/v1/invitations/accept",
    summary="Choose the password of an invitation (one use) and sign in",
    auth=Auth.PUBLIC,
    body=AcceptInvitation,
    response=ConsoleSession,
    status=201,
    errors=(404, 429),
    notes={404: "The invitation was used already, expired, or never existed."},
)
def accept_invitation(body: AcceptInvitation) -> Response:
    member = staff.accept_invitation(body.token, body.password)
    address = router.current_event.request_context.http.source_ip
    return _signed_in(staff.sign_in(member.email, body.password, address=address), 201)


@routes.get(
    "/merchant/v1/session",
    summary="Who is calling: the signed-in member (or the API key) and what they may do",
    response=Caller,
    permission=ANY_CALLER,
)
def who_am_i() -> Response:
    caller = routes.principal()
    if isinstance(caller, StaffPrincipal):
        session = caller.session
        view = Caller(
            kind="staff",
            merchant_id=caller.merchant_id,
            permissions=sorted(caller.permissions),
            member=staff.get_member(caller.merchant_id, caller.staff_id),
            key_id=None,
            csrf_token=csrf_token(session) if session is not None and session.via_cookie else None,
        )
    else:
        view = Caller(
            kind="api_key",
            merchant_id=caller.merchant_id,
            permissions=sorted(caller.permissions),
            member=None,
            key_id=caller.key_id,
            csrf_token=None,
        )
    return json_response(200, view, headers=PRIVATE)


# --- members ------------------------------------------------------------------------------------------------------


@routes.get(
    "/merchant/v1/staff",
    summary="The merchant's staff, the owner first",
    response=StaffList,
    permission=Permission.STAFF,
)
def list_staff() -> StaffList:
    return StaffList(staff=staff.list_staff(routes.merchant_id()))


@routes.post(
    "/merchant/v1/staff",
    summary="Add a member of staff (with a password, or with an invitation link to choose it)",
    body=staff.NewStaff,
    response=CreatedStaff,
    status=201,
    errors=(409,),
    permission=Permission.STAFF,
    notes={
        403: "The caller lacks `staff`, or a group given grants a permission the caller does not hold.",
        409: "The e-mail is already a console login.",
    },
)
def create_member(body: staff.NewStaff) -> CreatedStaff:
    member, invitation = staff.create_member(routes.principal(), body)
    return CreatedStaff(member=member, invitation=invitation)


@routes.get(
    "/merchant/v1/staff/{staff_id}",
    summary="A member of staff",
    response=staff.StaffMember,
    errors=(404,),
    permission=Permission.STAFF,
)
def get_member(staff_id: StaffId) -> staff.StaffMember:
    return staff.get_member(routes.merchant_id(), staff_id)


@routes.put(
    "/merchant/v1/staff/{staff_id}",
    summary="Change a member: name, login, groups, seller, active; a new password or groups end their sessions",
    body=staff.StaffUpdate,
    response=staff.StaffMember,
    errors=(404, 409),
    permission=Permission.STAFF,
    notes={
        403: "The caller lacks `staff`, or holds less than the member would (or does); only the owner edits the owner.",
        409: "The e-mail is someone else's login, the owner cannot be deactivated or grouped, or the member "
        "changed meanwhile.",
    },
)
def update_member(staff_id: StaffId, body: staff.StaffUpdate) -> staff.StaffMember:
    return staff.update_member(routes.principal(), staff_id, body)


@routes.post(
    "/merchant/v1/staff/{staff_id}/invitation",
    summary="A new invitation link for a member who has not chosen a password yet",
    response=staff.Invitation,
    status=201,
    errors=(404, 409),
    permission=Permission.STAFF,
    notes={409: "The member has a password already."},
)
def invite_again(staff_id: StaffId) -> staff.Invitation:
    return staff.invite_again(routes.principal(), staff_id)


@routes.post(
    "/merchant/v1/staff/{staff_id}/unlock",
    summary="Lift the sign-in lock of a member's login (the owner only)",
    status=204,
    errors=(404,),
    permission=Permission.STAFF,
    notes={403: "The caller lacks `staff`, or is not the owner."},
)
def unlock(staff_id: StaffId) -> Response:
    staff.unlock(routes.principal(), staff_id)
    return Response(status_code=204, body="")


# --- permission groups --------------------------------------------------------------------------------------------


@routes.get(
    "/merchant/v1/permission-groups",
    summary="The merchant's permission groups",
    response=GroupList,
    permission=Permission.STAFF,
)
def list_groups() -> GroupList:
    return GroupList(groups=staff.list_groups(routes.merchant_id()))


@routes.post(
    "/merchant/v1/permission-groups",
    summary="Create a permission group (its permissions, optionally limited to some stores)",
    body=staff.GroupInput,
    response=staff.Group,
    status=201,
    permission=Permission.STAFF,
    notes={403: "The caller lacks `staff`, or a permission given that the caller does not hold."},
)
def create_group(body: staff.GroupInput) -> staff.Group:
    return staff.create_group(routes.principal(), body)


@routes.put(
    "/merchant/v1/permission-groups/{group_id}",
    summary="Replace a permission group (its members' next requests hold what it holds)",
    body=staff.GroupInput,
    response=staff.Group,
    errors=(404,),
    permission=Permission.STAFF,
    notes={403: "The caller lacks `staff`, or holds less than the group does or would."},
)
def update_group(group_id: GroupId, body: staff.GroupInput) -> staff.Group:
    return staff.update_group(routes.principal(), group_id, body)


@routes.delete(
    "/merchant/v1/permission-groups/{group_id}",
    summary="Delete a permission group that has no members",
    status=204,
    errors=(404, 409),
    permission=Permission.STAFF,
    notes={409: "The group still has members."},
)
def delete_group(group_id: GroupId) -> Response:
    staff.delete_group(routes.principal(), group_id)
    return Response(status_code=204, body="")

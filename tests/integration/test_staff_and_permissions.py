"""Merchant staff, permission groups, API keys with permissions, and the permission every merchant route checks.

What a shop owner and their staff notice: the owner's invitation lets them in once; a cashier in a group that may
only see orders sees orders and is refused the rest with the permission named; nobody hands out more than they
hold; a revoked key stops at once; the console's cookie needs its CSRF token on writes; guessing is throttled and
the owner can lift a lock; and no merchant route of the OpenAPI document lets a caller without its permission
change anything."""

import hashlib
import json
import re
from pathlib import Path

import pytest
from lambda_harness import http, json_body

from vitrine.auth import passwords
from vitrine.auth.api_keys import issue_api_key
from vitrine.auth.permissions import MERCHANT_PERMISSIONS, Permission
from vitrine.people import staff

OPENAPI = Path(__file__).resolve().parents[2] / "functions" / "catalog_api" / "openapi.json"
PASSWORD = "senha-da-dona-123"
OFFICE = "198.51.100.20"


def call(method, path, *, auth=None, body=None, cookie=None, csrf=None, address=OFFICE):
    headers = {}
    if auth:
        headers["authorization"] = f"Bearer {auth}"
    if cookie:
        headers["cookie"] = f"vitrine_console={cookie}"
    if csrf:
        headers["x-csrf-token"] = csrf
    data = json.dumps(body) if body is not None else None
    return http(method, path, headers=headers, body=data, source_ip=address)


def owner_signed_in():
    """The merchant's owner, created as onboarding does, in through their invitation: (member, session body)."""
    member, invitation = staff.create_owner("m1", "Dona Rosa", "rosa@lojadarosa.com.br")
    accepted = call("POST", "/merchant/v1/invitations/accept", body={"token": invitation.token, "password": PASSWORD})
    assert accepted["statusCode"] == 201, accepted["body"]
    return member, invitation, accepted


@pytest.fixture
def cheap_scrypt(monkeypatch):
    """Passwords hashed with one SHA-256 instead of scrypt: these tests sign in dozens of times, and what they
    check (who may do what, and the throttle's counting) does not depend on the hash's cost."""
    monkeypatch.setattr(
        passwords, "_derive", lambda password, salt, *cost: hashlib.sha256(salt + password.encode()).digest()
    )


def test_the_owner_gets_in_once_through_the_invitation_and_holds_every_merchant_permission(stack, cheap_scrypt):
    member, invitation, accepted = owner_signed_in()
    body = json_body(accepted)
    (cookie,) = accepted["cookies"]
    assert cookie.startswith("vitrine_console=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert body["member"]["owner"] is True and set(body["member"]["permissions"]) == set(MERCHANT_PERMISSIONS)
    assert "password_hash" not in accepted["body"]

    again = call(
        "POST", "/merchant/v1/invitations/accept", body={"token": invitation.token, "password": "outra-senha-1"}
    )
    assert again["statusCode"] == 404
    # The second use changed nothing: the first password still signs in, the second does not.
    assert (
        call("POST", "/merchant/v1/sessions", body={"email": member.email, "password": PASSWORD})["statusCode"] == 201
    )
    wrong = call("POST", "/merchant/v1/sessions", body={"email": member.email, "password": "outra-senha-1"})
    assert wrong["statusCode"] == 401

    me = call("GET", "/merchant/v1/session", auth=body["token"])
    assert (
        me["statusCode"] == 200 and json_body(me)["kind"] == "staff" and json_body(me)["member"]["name"] == "Dona Rosa"
    )
    assert "erp" not in json_body(me)["permissions"]


def test_a_cashier_sees_orders_only_and_is_refused_the_rest_with_the_permission_named(stack, cheap_scrypt):
    _, _, accepted = owner_signed_in()
    owner = json_body(accepted)["token"]
    group = call(
        "POST", "/merchant/v1/permission-groups", auth=owner, body={"name": "Caixa", "permissions": ["orders.view"]}
    )
    assert group["statusCode"] == 201, group["body"]
    group_id = json_body(group)["group_id"]
    body = {"name": "Caio", "email": "caio@lojadarosa.com.br", "password": "senha-do-caio-1", "group_ids": [group_id]}
    created = call("POST", "/merchant/v1/staff", auth=owner, body=body)
    assert created["statusCode"] == 201 and json_body(created)["invitation"] is None
    assert json_body(created)["member"]["permissions"] == ["orders.view"]

    signed = call(
        "POST", "/merchant/v1/sessions", body={"email": "CAIO@lojadarosa.com.br", "password": "senha-do-caio-1"}
    )
    cashier = json_body(signed)["token"]
    assert call("GET", "/merchant/v1/orders", auth=cashier)["statusCode"] == 200
    refused = call("POST", "/merchant/v1/catalogs", auth=cashier, body={"slug": "nova", "title": "Nova"})
    assert refused["statusCode"] == 403
    assert json_body(refused)["error"]["details"][0]["permission"] == "catalogs"
    assert call("GET", "/merchant/v1/catalogs", auth=owner)["body"].count("nova") == 0

    # The owner widens the group: the cashier's next request holds it, without signing in again.
    widened = {"name": "Caixa", "permissions": ["orders.view", "catalogs"]}
    assert call("PUT", f"/merchant/v1/permission-groups/{group_id}", auth=owner, body=widened)["statusCode"] == 200
    assert call("GET", "/merchant/v1/catalogs", auth=cashier)["statusCode"] == 200

    # A group limited to a store says so to its members' requests.
    limited = {"name": "Caixa", "permissions": ["orders.view"], "stores": ["0001"]}
    assert call("PUT", f"/merchant/v1/permission-groups/{group_id}", auth=owner, body=limited)["statusCode"] == 200
    assert call("GET", "/merchant/v1/catalogs", auth=cashier)["statusCode"] == 403
    from vitrine.people.staff_access import principal_of
    from vitrine.repository import staff as stored

    item = stored.get_staff("m1", json_body(created)["member"]["staff_id"])
    assert principal_of("m1", item["staff_id"], item, None).stores_for(Permission.ORDERS_VIEW) == {"0001"}


def test_no_one_grants_what_they_do_not_hold(stack, cheap_scrypt):
    _, _, accepted = owner_signed_in()
    owner = json_body(accepted)["token"]
    ids = {}
    for name, permissions in (("Equipe", ["staff", "integrations"]), ("Financeiro", ["payouts.manage", "receivables"])):
        created = call(
            "POST", "/merchant/v1/permission-groups", auth=owner, body={"name": name, "permissions": permissions}
        )
        ids[name] = json_body(created)["group_id"]
    body = {
        "name": "Gil",
        "email": "gil@lojadarosa.com.br",
        "password": "senha-do-gil-12",
        "group_ids": [ids["Equipe"]],
    }
    assert call("POST", "/merchant/v1/staff", auth=owner, body=body)["statusCode"] == 201
    gil = json_body(
        call("POST", "/merchant/v1/sessions", body={"email": "gil@lojadarosa.com.br", "password": "senha-do-gil-12"})
    )["token"]

    # A group above him, a member in a group above him, a key above him: refused, naming what he lacks.
    group = call(
        "POST", "/merchant/v1/permission-groups", auth=gil, body={"name": "Tudo", "permissions": ["orders.manage"]}
    )
    assert group["statusCode"] == 403 and json_body(group)["error"]["details"][0]["permission"] == "orders.manage"
    member = {
        "name": "Fred",
        "email": "fred@lojadarosa.com.br",
        "password": "senha-do-fred-1",
        "group_ids": [ids["Financeiro"]],
    }
    assert call("POST", "/merchant/v1/staff", auth=gil, body=member)["statusCode"] == 403
    key = call(
        "POST", "/merchant/v1/api-keys", auth=gil, body={"name": "Pagamentos", "permissions": ["payouts.manage"]}
    )
    assert key["statusCode"] == 403 and "payouts.manage" in json_body(key)["error"]["message"]
    # Nor can he raise himself into the finance group, nor edit the owner.
    staff_list = json_body(call("GET", "/merchant/v1/staff", auth=gil))["staff"]
    me = next(m for m in staff_list if m["name"] == "Gil")
    raise_me = {
        **{k: me[k] for k in ("name", "email", "seller_id")},
        "group_ids": [ids["Equipe"], ids["Financeiro"]],
        "active": True,
    }
    assert call("PUT", f"/merchant/v1/staff/{me['staff_id']}", auth=gil, body=raise_me)["statusCode"] == 403
    owner_member = next(m for m in staff_list if m["owner"])
    demote = {**{k: owner_member[k] for k in ("name", "email", "seller_id")}, "group_ids": [], "active": True}
    assert call("PUT", f"/merchant/v1/staff/{owner_member['staff_id']}", auth=gil, body=demote)["statusCode"] == 403
    # What he holds he may hand out: an ERP integration's key too (managing integrations is what it takes).
    erp = call(
        "POST", "/merchant/v1/api-keys", auth=gil, body={"name": "ERP da loja", "permissions": ["erp", "integrations"]}
    )
    assert erp["statusCode"] == 201


def test_a_key_is_shown_once_holds_its_permissions_and_stops_at_once_when_revoked(stack, cheap_scrypt):
    admin = issue_api_key("m1", scopes=["merchant"], name="admin")
    issued = call(
        "POST", "/merchant/v1/api-keys", auth=admin, body={"name": "Relatórios", "permissions": ["orders.view"]}
    )
    assert issued["statusCode"] == 201 and issued["headers"]["Cache-Control"].startswith("private")
    key = json_body(issued)["key"]
    assert call("GET", "/merchant/v1/orders", auth=key)["statusCode"] == 200
    assert call("GET", "/merchant/v1/receivables", auth=key)["statusCode"] == 403

    listed = call("GET", "/merchant/v1/api-keys", auth=admin)
    assert key not in listed["body"] and "key_hash" not in listed["body"]
    (shown,) = [k for k in json_body(listed)["api_keys"] if k["name"] == "Relatórios"]
    assert shown["permissions"] == ["orders.view"] and shown["revoked_at"] is None

    revoked = call("DELETE", f"/merchant/v1/api-keys/{shown['key_id']}", auth=admin)
    assert revoked["statusCode"] == 200 and json_body(revoked)["revoked_at"]
    assert call("GET", "/merchant/v1/orders", auth=key)["statusCode"] == 401
    assert call("DELETE", f"/merchant/v1/api-keys/{shown['key_id']}", auth=admin)["statusCode"] == 200
    # Another merchant's key revokes nothing of this one's.
    other = issue_api_key("m2", scopes=["merchant"], name="m2")
    assert call("DELETE", "/merchant/v1/api-keys/" + admin.split("_")[1], auth=other)["statusCode"] == 404
    assert call("GET", "/merchant/v1/orders", auth=admin)["statusCode"] == 200


def test_the_console_cookie_needs_its_csrf_token_on_writes_and_a_deactivated_member_is_out(stack, cheap_scrypt):
    _, _, accepted = owner_signed_in()
    owner = json_body(accepted)
    cookie = re.match(r"vitrine_console=([^;]+)", accepted["cookies"][0]).group(1)
    body = {"name": "Caixa", "permissions": ["orders.view"]}
    refused = call("POST", "/merchant/v1/permission-groups", cookie=cookie, body=body)
    assert refused["statusCode"] == 403 and "CSRF" in json_body(refused)["error"]["message"]
    assert json_body(call("GET", "/merchant/v1/permission-groups", auth=owner["token"]))["groups"] == []
    assert (
        call("POST", "/merchant/v1/permission-groups", cookie=cookie, csrf=owner["csrf_token"], body=body)["statusCode"]
        == 201
    )
    # The page asks who it is after a reload and gets the CSRF token back (only for the cookie's session).
    assert json_body(call("GET", "/merchant/v1/session", cookie=cookie))["csrf_token"] == owner["csrf_token"]

    created = call(
        "POST",
        "/merchant/v1/staff",
        auth=owner["token"],
        body={"name": "Lia", "email": "lia@lojadarosa.com.br", "password": "senha-da-lia-12"},
    )
    lia = json_body(created)["member"]
    token = json_body(
        call("POST", "/merchant/v1/sessions", body={"email": lia["email"], "password": "senha-da-lia-12"})
    )["token"]
    assert call("GET", "/merchant/v1/session", auth=token)["statusCode"] == 200
    off = {"name": "Lia", "email": lia["email"], "seller_id": None, "group_ids": [], "active": False}
    assert call("PUT", f"/merchant/v1/staff/{lia['staff_id']}", auth=owner["token"], body=off)["statusCode"] == 200
    assert call("GET", "/merchant/v1/session", auth=token)["statusCode"] == 401
    assert (
        call("POST", "/merchant/v1/sessions", body={"email": lia["email"], "password": "senha-da-lia-12"})["statusCode"]
        == 401
    )


def test_a_console_session_is_not_a_catalog_session_and_a_catalog_session_is_not_the_console(stack, cheap_scrypt):
    from infra_fixtures import publish_small_catalog

    from vitrine.people import accounts
    from vitrine.people.models import SellerInput

    publish_small_catalog()
    accounts.save_seller("m1", "ana", SellerInput(name="Ana", email="ana@loja.com.br", password=PASSWORD))
    seller = call(
        "POST",
        "/api/sessions",
        body={"catalog": "loja", "role": "seller", "email": "ana@loja.com.br", "password": PASSWORD},
    )
    assert call("GET", "/merchant/v1/orders", auth=json_body(seller)["token"])["statusCode"] == 401
    _, _, accepted = owner_signed_in()
    assert call("GET", "/api/session", auth=json_body(accepted)["token"])["statusCode"] == 401


def test_guessing_is_throttled_alike_for_unknown_logins_and_the_owner_lifts_a_login_lock(
    stack, cheap_scrypt, monkeypatch
):
    from vitrine.auth import sign_in_throttle

    clock = [1_900_000_000.0]
    monkeypatch.setattr(sign_in_throttle, "clock", lambda: clock[0])
    _, _, accepted = owner_signed_in()
    owner = json_body(accepted)["token"]
    created = call(
        "POST",
        "/merchant/v1/staff",
        auth=owner,
        body={"name": "Caio", "email": "caio@lojadarosa.com.br", "password": "senha-do-caio-1"},
    )
    caio = json_body(created)["member"]

    answers = [
        call("POST", "/merchant/v1/sessions", body={"email": email, "password": "errada-123"}, address="203.0.113.7")
        for email in ("caio@lojadarosa.com.br", "ninguem@lojadarosa.com.br") * 2
    ]
    assert {a["statusCode"] for a in answers} == {401}
    assert (
        len({json_body(a)["error"]["message"] for a in answers}) == 1
    )  # the same words for a login that exists or not
    fifth = call(
        "POST",
        "/merchant/v1/sessions",
        body={"email": "caio@lojadarosa.com.br", "password": "errada-123"},
        address="203.0.113.7",
    )
    assert fifth["statusCode"] == 401
    locked = call(
        "POST",
        "/merchant/v1/sessions",
        body={"email": "caio@lojadarosa.com.br", "password": "senha-do-caio-1"},
        address="203.0.113.7",
    )
    assert locked["statusCode"] == 429 and int(locked["headers"]["Retry-After"]) > 0

    # Guesses from many addresses lock Caio's login; the owner lifts it, and Caio is in from his own desk.
    for n in range(25):
        call(
            "POST",
            "/merchant/v1/sessions",
            body={"email": "caio@lojadarosa.com.br", "password": "errada-123"},
            address=f"192.0.2.{n}",
        )
    assert (
        call("POST", "/merchant/v1/sessions", body={"email": "caio@lojadarosa.com.br", "password": "senha-do-caio-1"})[
            "statusCode"
        ]
        == 429
    )
    not_owner = issue_api_key("m1", scopes=["merchant"], name="integração")
    assert call("POST", f"/merchant/v1/staff/{caio['staff_id']}/unlock", auth=not_owner)["statusCode"] == 403
    assert call("POST", f"/merchant/v1/staff/{caio['staff_id']}/unlock", auth=owner)["statusCode"] == 204
    assert (
        call("POST", "/merchant/v1/sessions", body={"email": "caio@lojadarosa.com.br", "password": "senha-do-caio-1"})[
            "statusCode"
        ]
        == 201
    )


# --- the permission walk ---------------------------------------------------------------------------------------------


def _merchant_operations():
    document = json.loads(OPENAPI.read_text())
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if "x-permission" in operation and operation["x-permission"] != "erp":
                yield method.upper(), path, operation["x-permission"]


def _concrete(path):
    """A path with each parameter filled (what a caller might send; the check comes before any of it is read)."""
    return re.sub(
        r"\{(\w+)\}", lambda m: "0123456789abcdef0123456789abcdef" if m.group(1).endswith("_id") else "x", path
    )


def _table(stack):
    items = stack.client("dynamodb").scan(TableName=stack.table_name)["Items"]
    return sorted(json.dumps(item, sort_keys=True) for item in items)


def test_every_merchant_route_refuses_a_caller_without_its_permission_and_changes_nothing(stack):
    operations = list(_merchant_operations())
    assert len(operations) > 60 and {p for _, _, p in operations} >= set(MERCHANT_PERMISSIONS) - {"erp"}
    nothing = issue_api_key("m1", scopes=[], name="nothing")
    others = {
        permission: issue_api_key("m1", scopes=[p for p in MERCHANT_PERMISSIONS if p != permission], name=permission)
        for permission in MERCHANT_PERMISSIONS
    }
    before = _table(stack)
    for method, path, permission in operations:
        if permission == "any-caller":
            continue
        for key in (nothing, others[Permission(permission)]):
            answer = call(method, _concrete(path), auth=key, body={})
            assert answer["statusCode"] == 403, (method, path, answer["body"])
            assert json_body(answer)["error"]["details"][0]["permission"] == permission, (method, path)
    assert _table(stack) == before
    # A key with only the one permission gets past the check (whatever the route then answers).
    only = issue_api_key("m1", scopes=["receivables"], name="only")
    assert call("GET", "/merchant/v1/receivables", auth=only)["statusCode"] == 200


def test_every_route_of_the_merchant_api_declares_a_permission_in_the_document():
    document = json.loads(OPENAPI.read_text())
    undeclared = [
        (method, path)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if any("merchant_api_key" in alternative for alternative in operation.get("security", []))
        and "x-permission" not in operation
    ]
    assert undeclared == []
    ours = {op.get("x-permission") for ops in document["paths"].values() for op in ops.values()}
    assert ours - {None} <= {str(p) for p in Permission} | {"any-caller"}


def test_the_demo_seed_lets_the_owner_and_the_seller_into_the_console_with_what_each_may_do(stack, cheap_scrypt):
    from local_stack.seed import seed_demo

    seed = seed_demo({})
    owner = call("POST", "/merchant/v1/sessions", body={"email": seed.owner_login, "password": seed.password})
    seller = call("POST", "/merchant/v1/sessions", body={"email": seed.seller_login, "password": seed.password})
    assert owner["statusCode"] == 201 and seller["statusCode"] == 201
    ana = json_body(seller)["member"]
    assert ana["seller_id"] == "ana" and ana["permissions"] == ["catalogs", "customers", "orders.view"]
    assert call("GET", "/merchant/v1/catalogs", auth=json_body(seller)["token"])["statusCode"] == 200
    assert call("GET", "/merchant/v1/receivables", auth=json_body(seller)["token"])["statusCode"] == 403
    assert call("GET", "/merchant/v1/receivables", auth=json_body(owner)["token"])["statusCode"] == 200


def test_a_key_from_before_permissions_is_listed_with_what_its_scope_stood_for(stack):
    from vitrine.repository import keys, table

    admin = issue_api_key("m1", scopes=["merchant"], name="admin")
    # A key as keys were stored before permissions: scopes, no permissions, no created_at.
    table.put(
        {
            "PK": keys.merchant_pk("m1"),
            "SK": keys.merchant_api_key_sk("0123456789ab"),
            "type": "api_key",
            "merchant_id": "m1",
            "key_id": "0123456789ab",
            "key_hash": "0" * 64,
            "scopes": ["erp"],
            "name": "ERP antigo",
        }
    )
    listed = json_body(call("GET", "/merchant/v1/api-keys", auth=admin))["api_keys"]
    (old,) = [k for k in listed if k["key_id"] == "0123456789ab"]
    assert old["permissions"] == ["erp"] and old["created_at"] is None
    (new,) = [k for k in listed if k["name"] == "admin"]
    assert set(new["permissions"]) == set(MERCHANT_PERMISSIONS)

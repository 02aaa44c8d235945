"""Floor for ConsoleFunction (a console page of a signed-in member: GET /painel/pedidos/{order_id}): plain SDK, the
session cookie's HS256 token verified with the signing key (SSM GetParameter, at the first page), the member's
standing (GetItem, consistent), the shop's record and profile (BatchGetItem), the order (GetItem, consistent), whether
the ERP took it from the feed (BatchGetItem of its pointer), the messages it sent (Query of its partition), the
page as HTML (string formatting, escaped)."""

import base64
import hashlib
import hmac
import html
import json
import os
import time

import _sdk

ddb = _sdk.client("dynamodb")
ssm = _sdk.client("ssm")
TABLE = os.environ["TABLE_NAME"]
_keys: list[bytes] = []


def claims_of(token: str) -> dict | None:
    if not _keys:
        value = ssm.get_parameter(Name=os.environ["SESSION_SIGNING_KEY_PARAMETER"], WithDecryption=True)
        _keys.extend(part.strip().encode() for part in value["Parameter"]["Value"].split(",") if part.strip())
    head, body, signature = token.split(".")
    expected = hmac.new(_keys[0], f"{head}.{body}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(base64.urlsafe_b64encode(expected).rstrip(b"=").decode(), signature):
        return None
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return claims if claims["exp"] > time.time() else None


def page(status: int, title: str, content: str) -> dict:
    document = f'<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><title>{title}</title></head>'
    document += f"<body>{content}</body></html>"
    return {"statusCode": status, "headers": {"content-type": "text/html; charset=utf-8"}, "body": document}


def handler(event, context):
    cookies = dict(cookie.split("=", 1) for cookie in event.get("cookies", []))
    claims = claims_of(cookies.get("vitrine_console", "..."))
    if claims is None:
        return {"statusCode": 303, "headers": {"location": "/painel/entrar"}, "body": ""}
    merchant = f"M#{claims['mid']}"
    key = {"PK": {"S": merchant}, "SK": {"S": f"STAFF#{claims['sub']}"}}
    member = ddb.get_item(TableName=TABLE, Key=key, ConsistentRead=True)["Item"]
    if int(member.get("session_version", {"N": "0"})["N"]) != claims["ver"] or not member.get("owner"):
        return {"statusCode": 303, "headers": {"location": "/painel/entrar"}, "body": ""}  # off the main path
    wanted = [{"PK": {"S": merchant}, "SK": {"S": sk}} for sk in ("MERCHANT", "PROFILE")]
    found = ddb.batch_get_item(RequestItems={TABLE: {"Keys": wanted}})["Responses"][TABLE]
    shop = next((item["name"]["S"] for item in found if "name" in item), "loja")
    order_id = event["pathParameters"]["order_id"]
    key = {"PK": {"S": merchant}, "SK": {"S": f"ORDER#{order_id}"}}
    order = ddb.get_item(TableName=TABLE, Key=key, ConsistentRead=True).get("Item")
    if order is None:
        return page(404, "Não encontrado", "<h1>Pedido não encontrado</h1>")
    history = [change["M"] for change in order["status_history"]["L"]]
    paid_at = next(change["at"]["S"] for change in history if change["status"]["S"] == "paid")
    pointer = {"PK": {"S": f"{merchant}#ERPFEED"}, "SK": {"S": f"{paid_at}#{order_id}"}}
    request = {TABLE: {"Keys": [pointer], "ProjectionExpression": "PK, SK"}}
    in_feed = bool(ddb.batch_get_item(RequestItems=request)["Responses"][TABLE])
    sent = ddb.query(
        TableName=TABLE,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"{merchant}#MESSAGES#{order_id}"}},
    )["Items"]
    lines = "".join(
        f"<li>{html.escape(line['M']['name']['S'])} x {line['M']['quantity']['N']}</li>" for line in order["lines"]["L"]
    )
    timeline = "".join(f"<li>{html.escape(c['status']['S'])} {html.escape(c['at']['S'])}</li>" for c in history)
    content = f"<h1>Pedido {html.escape(order['order_code']['S'])} · {html.escape(shop)}</h1><ul>{lines}</ul>"
    content += f"<p>{'Aguardando o ERP' if in_feed else 'O ERP recebeu'}</p><ol>{timeline}</ol>"
    content += "".join(f"<p>{html.escape(m['kind']['S'])} {html.escape(m['status']['S'])}</p>" for m in sent)
    return page(200, f"Pedido {html.escape(order['order_code']['S'])}", content)

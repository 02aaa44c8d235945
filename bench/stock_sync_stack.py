"""The ERP path's handlers as the bench drives them: requests to the ERP API, the queue's messages handed to the
consumers in their template batch sizes, and the DynamoDB requests and AWS time counted meanwhile."""

import contextlib
import json
import os
import time
from collections import Counter

from bench_env import http_event

from local_stack.lambda_context import LambdaContext


def erp_context() -> LambdaContext:
    """The context the ERP path's warm handlers are called with (a minute left: the ingest's batches are large)."""
    return LambdaContext(function_name="bench", aws_request_id="bench", memory_limit_in_mb=1024, remaining_ms=60_000)


class Stack:
    """The template's two functions of the ERP path (and the webhook ones, once a channel subscribes), their
    queues, and DynamoDB requests counted with botocore's hooks."""

    def __init__(self, key: str) -> None:
        from local_stack.function_code import load_handler, template_functions
        from local_stack.routes import RouteTable
        from vitrine import aws

        self.key = key
        self.functions = {fn.logical_id: fn for fn in template_functions()}
        self.routes = RouteTable(route for fn in self.functions.values() for route in fn.routes)
        self.load_handler = load_handler
        self.api = load_handler(self.functions["StockSyncApiFunction"])
        self.consumer = load_handler(self.functions["StockSyncIngestFunction"])
        self.batch_size = self.functions["StockSyncIngestFunction"].queues[0].batch_size
        self.sqs, self.dynamodb = aws.client("sqs"), aws.client("dynamodb")
        self.clients = {"dynamodb": self.dynamodb, "sqs": self.sqs, "events": aws.client("events")}
        self.calls: Counter[str] = Counter()
        self.spent = {"dynamodb": 0.0, "sqs": 0.0, "events": 0.0}
        self._started: list[float] = []

    def post(self, path: str, items: list[dict]) -> str:
        headers = {"host": "127.0.0.1", "content-type": "application/json", "authorization": f"Bearer {self.key}"}
        body = json.dumps({"items": items}, ensure_ascii=False).encode()
        event = http_event(self.routes, "POST", path, headers, body)
        response = self.api(event, erp_context())
        if response["statusCode"] != 202:
            raise SystemExit(f"ingest failed: {response['statusCode']} {response['body'][:300]}")
        return json.loads(response["body"])["job_id"]

    def receive_all(self, queue_url: str) -> list[dict]:
        messages = []
        while batch := self.sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["ApproximateReceiveCount"]
        ).get("Messages", []):
            messages += batch
            for message in batch:
                self.sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        return messages

    def run(self, handler, messages: list[dict], batch_size: int) -> None:
        """Hand ``messages`` to ``handler`` in Lambda batches of ``batch_size``, as its event source would."""
        for start in range(0, len(messages), batch_size):
            records = [
                {
                    "messageId": m["MessageId"],
                    "receiptHandle": m["ReceiptHandle"],
                    "body": m["Body"],
                    "attributes": m.get("Attributes", {}),
                }
                for m in messages[start : start + batch_size]
            ]
            outcome = handler({"Records": records}, erp_context())
            if outcome["batchItemFailures"]:
                raise SystemExit(f"{handler.__module__} failed records: {outcome}")

    def consume(self) -> int:
        messages = self.receive_all(os.environ["ERP_INGEST_QUEUE_URL"])
        self.run(self.consumer, messages, self.batch_size)
        return len(messages)

    def _count(self, model, params, **_):
        self.calls[model.name] += 1
        if model.name == "BatchWriteItem":
            self.calls["written items"] += sum(len(requests) for requests in params["RequestItems"].values())

    def _before_call(self, **_):
        self._started.append(time.perf_counter())

    def _after_call(self, model, **_):
        self.spent[model.service_model.endpoint_prefix] += time.perf_counter() - self._started.pop()

    @contextlib.contextmanager
    def measured(self):
        """DynamoDB requests counted and time in each AWS service summed meanwhile (from zero)."""
        self.calls.clear()
        self.spent.update(dynamodb=0.0, sqs=0.0, events=0.0)
        self.dynamodb.meta.events.register("before-parameter-build.dynamodb", self._count)
        for service, client in self.clients.items():
            # First, on the event the memory's answer listens to: that answer ends ``before-call`` for the rest.
            client.meta.events.register_first(f"before-call.{service}", self._before_call)
            client.meta.events.register(f"after-call.{service}", self._after_call)
        try:
            yield
        finally:
            self.dynamodb.meta.events.unregister("before-parameter-build.dynamodb", self._count)
            for service, client in self.clients.items():
                client.meta.events.unregister(f"before-call.{service}", self._before_call)
                client.meta.events.unregister(f"after-call.{service}", self._after_call)

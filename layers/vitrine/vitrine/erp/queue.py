"""The ERP ingest queue (SQS): a job's chunks go in as JSON messages, one ``SendMessage`` each.

SQS takes messages of up to 256 KiB, which is why ``vitrine.erp.jobs`` splits a batch into chunks by size.
"""

import json
from typing import Any

from vitrine import aws
from vitrine.settings import get_settings


def send_chunks(chunks: list[dict[str, Any]]) -> None:
    queue_url = get_settings().require("erp_ingest_queue_url")
    client = aws.client("sqs")
    with aws.dependency_errors("SQS"):
        for chunk in chunks:
            client.send_message(QueueUrl=queue_url, MessageBody=json.dumps(chunk, ensure_ascii=False))

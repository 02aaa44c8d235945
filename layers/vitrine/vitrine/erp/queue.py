"""The ERP ingest queue (SQS): a job's chunks go in as JSON messages, one ``SendMessage`` each.

SQS takes messages of up to 256 KiB, which is why ``vitrine.erp.jobs`` splits a batch into chunks by size (and why
they are not batched: ten such chunks would pass a batch's 256 KiB).
"""

import json
from typing import Any

from vitrine import queues
from vitrine.settings import get_settings


def send_chunks(chunks: list[dict[str, Any]]) -> None:
    queue_url = get_settings().require("erp_ingest_queue_url")
    queues.send_each(queue_url, [json.dumps(chunk, ensure_ascii=False) for chunk in chunks])

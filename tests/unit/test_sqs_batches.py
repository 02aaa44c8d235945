import logging

import pytest

from vitrine.sqs_batches import BatchFailed, process_partial_batch

LOG = logging.getLogger("test")


def batch(*bodies):
    return {"Records": [{"messageId": f"m{i}", "body": body} for i, body in enumerate(bodies)]}


def handle(record):
    if record["body"] == "bad":
        raise ValueError("bad record")


def test_only_the_records_that_failed_go_back_to_the_queue(caplog):
    result = process_partial_batch(batch("ok", "bad", "ok", "bad"), handle, LOG)
    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": "m3"}]}
    assert [r.message_id for r in caplog.records] == ["m1", "m3"]


def test_a_batch_where_every_record_failed_raises_so_the_whole_batch_is_retried():
    with pytest.raises(BatchFailed, match="all 2 records failed"):
        process_partial_batch(batch("bad", "bad"), handle, LOG)


def test_a_clean_batch_reports_no_failures():
    assert process_partial_batch(batch("ok"), handle, LOG) == {"batchItemFailures": []}
    assert process_partial_batch({"Records": []}, handle, LOG) == {"batchItemFailures": []}

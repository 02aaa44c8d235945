import logging

import pytest

from vitrine.sqs_batches import BatchFailed, process_partial_batch, process_whole_batch

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


def parse(record):
    if record["body"] == "unparsable":
        raise ValueError("not a chunk")
    return record["body"]


def test_whole_batch_mode_hands_every_parsed_record_to_one_call_and_reports_what_it_could_not_apply(caplog):
    given: list = []

    def apply_all(records):
        given.append([(r.message_id, r.item) for r in records])
        return [r.message_id for r in records if r.item == "bad"]

    result = process_whole_batch(batch("ok", "unparsable", "bad", "ok"), parse, apply_all, LOG)

    assert given == [[("m0", "ok"), ("m2", "bad"), ("m3", "ok")]]
    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": "m2"}]}
    assert [r.message_id for r in caplog.records] == ["m1"]  # the batch's handler logs its own failures


def test_whole_batch_mode_raises_when_every_record_failed_and_never_calls_the_handler_with_nothing():
    def apply_all(records):
        raise AssertionError("nothing parsed: not called")

    with pytest.raises(BatchFailed, match="all 2 records failed"):
        process_whole_batch(batch("unparsable", "unparsable"), parse, apply_all, LOG)
    assert process_whole_batch({"Records": []}, parse, apply_all, LOG) == {"batchItemFailures": []}

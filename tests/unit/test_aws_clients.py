"""Clients are created once per container, also when several threads ask first (the ERP connector's polls)."""

import threading

from vitrine import aws


def test_threads_asking_at_once_share_one_client():
    aws.reset_clients()
    start = threading.Barrier(8)
    got: list[object] = []

    def first_use() -> None:
        start.wait()
        got.append(aws.client("sqs"))

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 8 and len({id(c) for c in got}) == 1
    aws.reset_clients()

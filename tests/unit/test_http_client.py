"""Outbound sessions: a policy's retries are what the session's adapter does; without one, nothing is retried."""

import pytest
from urllib3.exceptions import ReadTimeoutError

from vitrine.http_client import RetryPolicy, pooled_session

URL = "https://erp.example.com.br/api"


def test_given_a_policy_the_session_retries_its_methods_and_statuses_only_and_a_read_timeout_is_final():
    policy = RetryPolicy(retries=2, methods=frozenset({"GET"}), statuses=frozenset({503}), follow_redirects=False)
    session = pooled_session(policy, user_agent="Vitrine-Test/1.0", pool_connections=3, pool_maxsize=5)
    adapter = session.get_adapter(URL)
    retry = adapter.max_retries
    assert (retry.total, retry.connect, retry.read, retry.status, retry.other, retry.redirect) == (2, 2, 2, 2, 0, 0)
    assert retry.allowed_methods == {"GET"} and set(retry.status_forcelist) == {503}
    assert retry.raise_on_status is False and retry.respect_retry_after_header is False
    assert session.headers["User-Agent"] == "Vitrine-Test/1.0"
    assert (adapter._pool_connections, adapter._pool_maxsize) == (3, 5)
    timeout = ReadTimeoutError(None, URL, "read timed out")
    with pytest.raises(ReadTimeoutError) as raised:
        retry.increment("GET", URL, error=timeout)
    assert raised.value is timeout


def test_given_no_policy_the_session_retries_nothing():
    session = pooled_session()
    retry = session.get_adapter(URL).max_retries
    assert retry.total == 0 and retry.read is False
    assert session.get_adapter("http://127.0.0.1:1/") is session.get_adapter(URL)

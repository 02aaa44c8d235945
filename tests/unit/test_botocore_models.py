"""The shared botocore loader (``tests/botocore_models.py``): sessions share one, and its data stays what one ordinary
session's loader holds after the same use (botocore's endpoint resolver fills the endpoints data in as it resolves
an endpoint, in place, the same way each time: one session's later clients already read it so)."""

import botocore.session
from botocore.loaders import Loader
from botocore_models import shared_loader
from moto import mock_aws

SERVICES = ("dynamodb", "s3", "sqs", "events", "ssm")


def use(session) -> dict:
    """Create each service's client twice and call DynamoDB; the endpoints the clients were given."""
    urls = {}
    for _ in range(2):
        for service in SERVICES:
            client = session.create_client(service, region_name="us-east-1")
            urls[service] = client.meta.endpoint_url
            if service == "dynamodb":
                client.list_tables()
    return urls


def test_sessions_share_one_loader_whose_data_is_what_an_ordinary_session_holds_after_the_same_use():
    with mock_aws():
        ordinary = botocore.session.get_session()  # its own loader, even inside the suite's shared one
        ordinary.register_component("data_loader", Loader())
        ordinary_urls = use(ordinary)
        with shared_loader():
            first, second = botocore.session.get_session(), botocore.session.get_session()
            assert first.get_component("data_loader") is second.get_component("data_loader")
            assert use(first) == use(second) == ordinary_urls
        shared, alone = first.get_component("data_loader"), ordinary.get_component("data_loader")
        assert shared is not alone
        for service in SERVICES:
            assert shared.load_service_model(service, "service-2") == alone.load_service_model(service, "service-2")
            assert shared.load_service_model(service, "endpoint-rule-set-1") == alone.load_service_model(
                service, "endpoint-rule-set-1"
            )
        assert shared.load_data("endpoints") == alone.load_data("endpoints")
        assert shared.load_data("partitions") == alone.load_data("partitions")
    assert botocore.session.get_session().get_component("data_loader") is not shared

"""One botocore data loader for every botocore session a test run makes: its JSON read once, not once a session.

``vitrine.aws.reset_clients()`` (called by every integration test's ``stack`` fixture, and by the fixtures and
handlers that change the environment) drops the botocore session, and a new session gets a new
``botocore.loaders.Loader``, whose caches are the instance's own (``instance_cache``): every test read and
decoded botocore's service models, endpoint rule sets, partitions and paginators again, ~60 JSON files (~0.2 s
of each test's setup, ~2 s in 9 setups of a profile; 900 s of setup over the suite's integration tests).

Here ``botocore.session.create_loader`` hands every session one loader per data path, so a file is read once per
process. What a loader hands out is already shared within a session: every client of a service gets the same
model dict. No ``service-data-loaded`` handler changes a model; botocore's endpoint resolver fills the endpoints
data in as it resolves an endpoint, in place and the same way each time, so a session's later clients read it so
already (``tests/unit/test_botocore_models.py``: the same models, data and endpoints as one ordinary session after
the same use). A session still reads its credentials, region, endpoint URL and configuration from the environment
as before: only botocore's own data files are shared. ``VITRINE_FAST_MOTO=off`` turns this off too.
"""

import contextlib
import functools
import os
from collections.abc import Iterator


@contextlib.contextmanager
def shared_loader() -> Iterator[None]:
    import botocore.session
    from botocore.loaders import create_loader

    if os.environ.get("VITRINE_FAST_MOTO") == "off":
        yield
        return
    botocore.session.create_loader = functools.cache(create_loader)
    try:
        yield
    finally:
        botocore.session.create_loader = create_loader

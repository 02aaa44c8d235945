"""The floors' SDK: ``client(service)`` from boto3 or from botocore alone, as ``BENCH_FLOOR_SDK`` says.

``bench/cold_start.py`` sets ``BENCH_FLOOR_SDK`` in a floor's environment: ``boto3`` is the issue's floor (what a
plain handler does: ``import boto3``, clients at module level), ``botocore`` the same on botocore alone, as
``vitrine.aws`` uses it. Only the chosen SDK is imported, so each variant imports what its minimal handler would.
"""

import os

if os.environ["BENCH_FLOOR_SDK"] == "boto3":
    from boto3 import client
else:
    from botocore.session import get_session

    # One session for all of a floor's clients, as a botocore handler keeps one.
    client = get_session().create_client

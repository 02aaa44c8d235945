"""The CDN in front of the storefront: taking its copies of a catalog's views away when they must not be served.

A catalog's views are held by the CDN for ``s-maxage`` (``vitrine.http.caching``) and served stale for a while
after that; when a catalog is unpublished, or its settings change while it is published, its copies are
invalidated (CloudFront ``CreateInvalidation``) so a link taken down stops answering at the edge too, not only at
the origin. The paths are ``/c/<slug>`` (the page), ``/c/<slug>/*`` (product links) and ``/api/catalogs/<slug>*``
(the JSON views, every query string of them: the wildcard also matches ``?cursor=``); a wildcard path counts as one
of CloudFront's free 1,000 paths a month.

The distribution comes from the settings: ``CDN_DISTRIBUTION_ID``, or the SSM parameter ``CDN_DISTRIBUTION_PARAMETER``
names (the template's way: the function cannot name the distribution it sits behind without a dependency cycle,
since the distribution names the API, which names the function). Neither set (the local stack, a deployment
without the CDN): ``NoCdn``, which does nothing.

An invalidation that fails is logged, not raised: the change it follows is written already and the origin answers
it at once, and the CDN's copy lasts 30 s plus the stale window, in which its background revalidation gets the
origin's new answer; failing the merchant's request would only make them repeat what is done.
"""

import logging
import time
import uuid
from typing import Protocol

from vitrine import aws
from vitrine.parameters import secure_parameter
from vitrine.settings import get_settings

log = logging.getLogger(__name__)


class Cdn(Protocol):
    def invalidate(self, paths: list[str]) -> None: ...


class NoCdn:
    """No CDN in front (the local stack): nothing holds a copy."""

    def invalidate(self, paths: list[str]) -> None:
        return None


class CloudFrontCdn:
    def __init__(self, distribution_id: str) -> None:
        self.distribution_id = distribution_id

    def invalidate(self, paths: list[str]) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        batch = {
            "Paths": {"Quantity": len(paths), "Items": paths},
            # Unique per call: CloudFront treats a repeated reference as the same invalidation.
            "CallerReference": f"{time.time_ns()}-{uuid.uuid4().hex[:8]}",
        }
        try:
            aws.client("cloudfront").create_invalidation(DistributionId=self.distribution_id, InvalidationBatch=batch)
        except (BotoCoreError, ClientError):
            log.exception("CDN invalidation of %s failed; its copies expire on their own", paths)


def catalog_paths(slug: str) -> list[str]:
    """Every path under which the CDN may hold a view of the catalog ``slug``."""
    return [f"/c/{slug}", f"/c/{slug}/*", f"/api/catalogs/{slug}*"]


def get_cdn() -> Cdn:
    # Not cached itself: the settings are, and so is the parameter (vitrine.parameters), for five minutes.
    settings = get_settings()
    distribution_id = settings.cdn_distribution_id
    if not distribution_id and settings.cdn_distribution_parameter:
        distribution_id = secure_parameter(settings.cdn_distribution_parameter)
    return CloudFrontCdn(distribution_id) if distribution_id else NoCdn()


def invalidate_catalog(slug: str) -> None:
    """Take the CDN's copies of the catalog ``slug``'s views away."""
    get_cdn().invalidate(catalog_paths(slug))

"""The shared-cache policy's ETags and 304s (vitrine.http.caching), without a stack."""

import pytest

from vitrine.http.caching import PRIVATE, SHARED_CACHE, etag_for, private, shared_view
from vitrine.http.resolver import Response


def view(body: str = "<p>Loja</p>", status: int = 200) -> Response:
    return Response(status_code=status, content_type="text/html", body=body, headers={"Cache-Control": "no-store"})


def test_a_view_gets_the_shared_policy_and_a_strong_etag_of_its_body():
    answered = shared_view(view(), None)
    assert answered.status_code == 200 and answered.body == "<p>Loja</p>"
    assert answered.headers["Cache-Control"] == SHARED_CACHE
    assert answered.headers["ETag"] == etag_for("<p>Loja</p>") == etag_for(b"<p>Loja</p>")
    assert etag_for("<p>Loja 2</p>") != etag_for("<p>Loja</p>")


@pytest.mark.parametrize("if_none_match", ["{tag}", "W/{tag}", '"a", {tag}', '"a",{tag} , "b"', "*"], ids=str)
def test_a_held_version_is_a_bodiless_304(if_none_match):
    tag = etag_for("<p>Loja</p>")
    answered = shared_view(view(), if_none_match.format(tag=tag))
    assert answered.status_code == 304 and answered.body == ""
    assert answered.headers == {"Cache-Control": SHARED_CACHE, "ETag": tag}


@pytest.mark.parametrize("if_none_match", ["", '"0000000000000000"', "W/", '"a", "b"'])
def test_any_other_tag_gets_the_whole_view(if_none_match):
    assert shared_view(view(), if_none_match).status_code == 200


def test_a_404_is_kept_by_no_cache_and_has_no_etag():
    answered = shared_view(view(status=404), "*")
    assert answered.status_code == 404 and answered.headers["Cache-Control"] == "no-store"
    assert "ETag" not in answered.headers


def test_a_personal_answer_is_private():
    assert private(view()).headers["Cache-Control"] == PRIVATE == "private, no-store"

"""Slug rules, as properties: what is accepted always names one schema of its own."""

from hypothesis import given
from hypothesis import strategies as st

from coopnet.database import schema_for
from coopnet.platform.schemas_sql import SCHEMA_RE
from coopnet.platform.tenants import RESERVED_SLUGS, slug_problem

slug_text = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.A/ '", min_size=0, max_size=45)


@given(slug_text)
def test_an_accepted_slug_is_safe_for_a_url_and_a_schema_name(slug):
    if slug_problem(slug) is None:
        assert 3 <= len(slug) <= 40
        assert slug == slug.lower() and slug.strip("-") == slug
        assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
        assert slug not in RESERVED_SLUGS
        assert SCHEMA_RE.fullmatch(schema_for(slug))


@given(slug_text, slug_text)
def test_two_accepted_slugs_never_share_a_schema(a, b):
    if a != b and slug_problem(a) is None and slug_problem(b) is None:
        assert schema_for(a) != schema_for(b)


def test_the_guides_coops_have_good_slugs():
    for slug in (
        "quilted",
        "design-action",
        "electric-embers",
        "gaia-host",
        "techcollective",
        "tech-underground",
        "may-first",
    ):
        assert slug_problem(slug) is None, slug

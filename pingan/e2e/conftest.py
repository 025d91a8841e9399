"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

They run in their own pytest invocation (``-m browser``) because the live server needs a
transactional database, which is flushed after each test."""

import pytest


@pytest.fixture(autouse=True)
def tree(transactional_db):
    """The live server's database is flushed after each browser test: put the tree back."""
    from pingan.areas.models import Area
    from pingan.areas.services import areas_load_banner

    if not Area.objects.filter(code="150824000000").exists():
        areas_load_banner(banner_code="150824")
    # (the flush also empties what migrations seeded: the 110 category dictionary)
    from pingan.incidents.categories import seed
    from pingan.incidents.models import IncidentCategory

    if not IncidentCategory.objects.exists():
        seed(IncidentCategory)

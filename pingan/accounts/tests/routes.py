"""The accounts routes in the permission matrix (see pingan/testing/matrix.py)."""

from pingan.testing.matrix import EVERY_ROLE, Route

ROUTES = [
    Route("accounts:home", roles=EVERY_ROLE),
    # Signed-in users are sent on to their home page; the anonymous see the form.
    Route("accounts:login", roles=EVERY_ROLE, ok=302, anonymous=200),
    Route("accounts:logout", roles=EVERY_ROLE, method="POST", ok=302, anonymous=302),
    Route("GET /api/me", roles=EVERY_ROLE),
]

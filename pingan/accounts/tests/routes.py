"""The accounts routes in the permission matrix (see pingan/testing/matrix.py)."""

from pingan.testing.matrix import EVERY_ROLE, Route

ROUTES = [
    Route("accounts:home", roles=EVERY_ROLE),
    # Signed-in users are sent on to their home page; the anonymous see the form.
    Route("accounts:login", roles=EVERY_ROLE, ok=302, anonymous=200),
    Route("accounts:logout", roles=EVERY_ROLE, method="POST", ok=302, anonymous=302),
    # The code step: a session already verified (or of a user without a device) is sent on.
    Route("accounts:otp_verify", roles=EVERY_ROLE, ok=302),
    # One's own account: every role. Unverified and expired sessions are tested in test_second_factor.py
    # and test_passwords.py.
    Route("accounts:profile", roles=EVERY_ROLE),
    Route("accounts:password_change", roles=EVERY_ROLE),
    Route("accounts:otp_enrol", roles=EVERY_ROLE),
    Route("accounts:otp_remove", roles=EVERY_ROLE),
    Route("GET /api/me", roles=EVERY_ROLE),
]

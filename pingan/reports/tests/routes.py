"""The report routes in the permission matrix (see pingan/testing/matrix.py).

A report is banner-wide: "own" is the banner the persona works in (a station chief or a village
officer reports on their banner, cut to their part of it), "sibling" and "parent" the other banner
152922, which nobody under 150824 may read: 404."""

from pingan.accounts.roles import Role
from pingan.testing.matrix import EVERY_ROLE, Route, banner_target

# Written out, not imported from the views: the table is a statement of policy.
REPORT_READERS = EVERY_ROLE - {Role.SECADMIN, Role.AUDITOR}
INDICATOR = "org.admin_villages"

ROUTES = [
    Route("reports:index", roles=REPORT_READERS, ok=302),
    Route("reports:report", roles=REPORT_READERS, target=banner_target(year=2024)),
    Route("reports:drilldown", roles=REPORT_READERS, target=banner_target(year=2024, code=INDICATOR)),
    Route("reports:series", roles=REPORT_READERS, target=banner_target(year=2024, code=INDICATOR)),
    Route("GET /api/reports/indicators", roles=REPORT_READERS),
    Route("GET /api/reports/{banner_code}/{year}", roles=REPORT_READERS, target=banner_target(year=2024)),
]

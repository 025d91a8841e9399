"""Who may start which job from the jobs page (pages and API share these sets)."""

from pingan.accounts.roles import Role
from pingan.reports.access import REPORT_READERS

REPORTERS = REPORT_READERS  # the year report as a workbook: whoever reads the report
REANALYSERS = frozenset({Role.POLICE_LEADER})  # the banner's repeat analysis as a whole

"""Who reads the reports: everyone whose work they describe. The security and audit administrators
read no business data (三权分立), so they get 403 on every report page and API route."""

from pingan.accounts.roles import Role

REPORT_READERS = frozenset(set(Role.values) - {Role.SECADMIN, Role.AUDITOR})

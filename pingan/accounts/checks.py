"""System checks of the login settings read from the environment."""

from django.conf import settings
from django.core.checks import Error, Warning, register

from pingan.accounts.roles import Role

ADMINISTRATORS = {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}


@register()
def otp_required_roles(app_configs, **kwargs):
    roles = set(settings.PINGAN_OTP_REQUIRED_ROLES)
    problems = []
    unknown = sorted(roles - set(Role.values))
    if unknown:
        problems.append(Error(f"PINGAN_OTP_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}",
                              hint=f"roles are: {', '.join(Role.values)}", id="accounts.E001"))
    missing = sorted(ADMINISTRATORS - roles)
    if missing:
        problems.append(Warning(f"PINGAN_OTP_REQUIRED_ROLES leaves out {', '.join(missing)}: the three "
                                "administrators must use a second factor (等保三级)", id="accounts.W001"))
    return problems

"""Deployment checks (`caseaudit check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

from caseaudit.core.log_integrity import unverified_chains


@register(Tags.security, deploy=True)
def logs_recently_verified(app_configs, **kwargs):
    # A tamper-evident log is only worth something if someone looks: a break found a day
    # late can still be investigated, one found a year late mostly cannot.
    stale = unverified_chains()
    if not stale:
        return []
    hours = settings.LOG_VERIFY_MAX_AGE_HOURS
    return [
        Warning(
            f"The {' and '.join(stale)} log{'s have' if len(stale) > 1 else ' has'} not been "
            f"verified in the last {hours} hours.",
            hint="Run `caseaudit verify-log` daily from cron (see README: Running in production).",
            id="caseaudit.W001",
        )
    ]

from django.conf import settings

from caseaudit.site.navigation import current_section, navigation_for


def layout(request) -> dict:
    user = getattr(request, "user", None)
    council = getattr(user, "council", None) if user and user.is_authenticated else None
    return {
        "service_name": settings.SERVICE_NAME,
        "council_name": council.name if council else settings.COUNCIL_NAME,
        "navigation": navigation_for(user) if user else [],
        "current_section": current_section(request),
    }

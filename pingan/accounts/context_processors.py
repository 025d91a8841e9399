from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from pingan.core.navigation import grouped, menu_for


@lru_cache(maxsize=512)
def _links(role: str, urlconf: str, script_prefix: str) -> tuple[tuple[str, str, str], ...]:
    """A role's menu as (label, url, group): reversed once per role and URL conf, not on every page."""
    links = []
    for entry in menu_for(role):
        try:
            links.append((entry.label, reverse(entry.url_name, urlconf=urlconf), entry.group))
        except NoReverseMatch:
            continue
    return tuple(links)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.role:
        return {}
    if getattr(request, "pingan_signin_incomplete", False):
        return {}  # second factor or password change pending: nothing else opens yet
    links = _links(user.role, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    return {"menu": grouped([{"label": label, "url": url, "group": group,
                              "active": request.path.startswith(url) and url != "/"} for label, url, group in links])}

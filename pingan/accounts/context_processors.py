from django.urls import NoReverseMatch, reverse

from pingan.core.navigation import grouped, menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.role:
        return {}
    if getattr(request, "pingan_signin_incomplete", False):
        return {}  # second factor or password change pending: nothing else opens yet
    entries = []
    for entry in menu_for(user.role):
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        entries.append({"label": entry.label, "url": url, "group": entry.group,
                        "active": request.path.startswith(url) and url != "/"})
    return {"menu": grouped(entries)}

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from pingan.areas.models import ADMIN_VILLAGE_KINDS, Area, Level
from pingan.core.scope import get_visible_or_404, scope_of


def area_get(user, code: str) -> Area:
    return get_visible_or_404(Area, user, code=code)


def area_root_for(user) -> Area | None:
    scope = scope_of(user, reference=True)
    if scope.path is None:
        return None
    if scope.unrestricted:
        return Area.objects.filter(parent__isnull=True).first()
    code = scope.path.rstrip("/").rsplit("/", 1)[-1]
    return Area.objects.filter(code=code).first()


def area_children(user, area: Area) -> QuerySet[Area]:
    return (
        Area.objects.visible_to(user)
        .filter(parent=area)
        .annotate(n_children=Count("children", distinct=True))
        .order_by("code")
    )


def area_breadcrumb(user, area: Area) -> list[Area]:
    """Ancestors the user may see (a village officer's trail starts at their village)."""
    return list(Area.objects.visible_to(user).filter(code__in=area.ancestor_codes()[:-1]).order_by("level"))


def banners_visible(user) -> QuerySet[Area]:
    """Banners the user can report on: their own banner (or the ones under their scope)."""
    scope = scope_of(user, reference=True)
    if scope.path is None:
        return Area.objects.none()
    if scope.unrestricted:
        return Area.objects.filter(level=Level.BANNER, children__isnull=False).distinct()
    codes = [c for c in scope.path.split("/") if c]
    return Area.objects.filter(level=Level.BANNER).filter(
        Q(code__in=codes) | Q(path__startswith=scope.path)
    ).filter(children__isnull=False).distinct()


def admin_villages(banner: Area) -> QuerySet[Area]:
    return Area.objects.filter(path__startswith=banner.path, kind__in=ADMIN_VILLAGE_KINDS)

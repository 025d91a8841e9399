"""The jurisdiction data scope, enforced in one place.

A user's scope is a subtree of the jurisdiction tree (an Area path prefix) crossed with the
business lines (公安, 司法, 检察, 行政机关, 网格) their role works in. Every scoped model's
manager offers ``visible_to(user)``; lists, details, exports, API routes and reports start from it,
and writes re-check the object against it inside their transaction (``ensure_visible``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import F, Lookup, Q
from django.http import Http404


class Line(models.TextChoices):
    POLICE = "police", "公安"
    JUSTICE = "justice", "司法"
    PROCURATORATE = "procuratorate", "检察"
    ADMIN = "admin", "行政机关"
    GRID = "grid", "网格(综治)"


ALL_LINES = frozenset(Line.values)


@dataclass(frozen=True)
class Scope:
    """What one actor may see. ``path`` is an Area path prefix; None sees no jurisdiction data."""

    path: str | None
    lines: frozenset[str]
    agency_id: int | None = None  # set for roles cut to one agency (administrative liaisons)
    unrestricted: bool = False  # command-line and system jobs only, never a logged-in user

    @classmethod
    def system(cls) -> Scope:
        return cls(path="", lines=ALL_LINES, unrestricted=True)

    @classmethod
    def nothing(cls) -> Scope:
        return cls(path=None, lines=frozenset())

    def covers_path(self, path: str) -> bool:
        return self.unrestricted or (self.path is not None and path.startswith(self.path))


class NotVisible(Http404):
    """The object is outside the actor's scope; answered as 404 so its existence is not revealed."""


def scope_of(actor, *, reference: bool = False) -> Scope:
    """The Scope for a user, a Scope, or None (system). ``reference`` asks for the scope over
    organisation reference data (areas, agencies, staff), which administrators also maintain."""
    if actor is None:
        return Scope.system()
    if isinstance(actor, Scope):
        return actor
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return Scope.nothing()
    attr = "_pingan_reference_scope" if reference else "_pingan_scope"
    cached = getattr(actor, attr, None)
    if cached is None:
        cached = actor.reference_scope() if reference else actor.data_scope()
        setattr(actor, attr, cached)
    return cached


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, actor) -> ScopedQuerySet:
        scope = scope_of(actor, reference=self.model.reference_data)
        if scope.unrestricted:
            return self.all()
        if scope.path is None or not scope.lines:
            return self.none()
        return self.filter(self.model.scope_q(scope))


class ScopedModel(models.Model):
    """Base for records that hang on a node of the jurisdiction tree.

    Subclasses set ``scope_area_field`` (lookup to the Area the record hangs on, "" for Area
    itself, or a tuple of lookups: visible where any is in scope) and either ``scope_line_field`` (lookup to a Line value) or ``scope_lines`` (the fixed
    lines that may see it). ``scope_agency_field`` narrows agency-bound roles further.
    """

    scope_area_field: str | tuple[str, ...] = "area"
    scope_line_field: str | None = None
    scope_lines: frozenset[str] = ALL_LINES
    scope_agency_field: str | None = None
    reference_data: bool = False  # organisation data that the system administrator also maintains

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        if isinstance(cls.scope_area_field, tuple):  # several places: visible where any is in the subtree
            q = Q(pk__in=[])
            for field in cls.scope_area_field:
                q |= cls._first_hop_in_subtree(field, scope.path)
        else:
            prefix = f"{cls.scope_area_field}__" if cls.scope_area_field else ""
            q = Q(**{f"{prefix}path__startswith": scope.path})
        if cls.scope_line_field:
            q &= Q(**{f"{cls.scope_line_field}__in": sorted(scope.lines)})
        elif not (cls.scope_lines & scope.lines):
            return Q(pk__in=[])
        if scope.agency_id is not None and cls.scope_agency_field:
            q &= Q(**{cls.scope_agency_field: scope.agency_id})
        return q

    @classmethod
    def _first_hop_in_subtree(cls, field: str, path: str) -> Q:
        """``field`` ("area", "station__area" …) in the subtree, as the ids its first foreign key may
        take (AnyOf). OR'ing ``a.path LIKE … OR b.c.path LIKE …`` through joins is served by no index:
        the cases' two-path scope cost 200 ms per count at 200,000 cases, 9 ms this way."""
        first, _, rest = field.partition("__")
        target = cls._meta.get_field(first).related_model
        ids = target._default_manager.filter(**{f"{rest}__path__startswith" if rest else "path__startswith": path})
        return Q(AnyOf(F(first), ids.order_by().values("pk")))


class AnyOf(Lookup):
    """``AnyOf(F("fk"), queryset.values("pk"))``: the key is one of the subquery's ids.

    On PostgreSQL ``fk = ANY(ARRAY(subquery))``: the ids are computed once (an InitPlan) and the
    key's index is scanned for them, so two of these OR'ed are a BitmapOr of two index scans. Two
    ``fk IN (subquery)`` OR'ed instead become hashed subplans checked on every row of the table (the
    cases' two-path scope: 200 ms per count at 200,000 cases, 8 ms this way; bench/RESULTS.md).
    Elsewhere (SQLite) plain ``IN (subquery)``."""

    lookup_name = "any_of"
    template = "{lhs} IN {rhs}"

    def as_sql(self, compiler, connection, template=None):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return (template or self.template).format(lhs=lhs, rhs=rhs), (*lhs_params, *rhs_params)

    def as_postgresql(self, compiler, connection):
        return self.as_sql(compiler, connection, template="{lhs} = ANY(ARRAY{rhs})")


def ensure_visible(actor, obj: models.Model) -> None:
    """Re-check inside a write's transaction that the saved object is still in the actor's scope."""
    model = type(obj)
    if not model.objects.visible_to(actor).filter(pk=obj.pk).exists():
        raise NotVisible("超出您的辖区范围")


def get_visible_or_404(queryset_or_model, actor, **lookup):
    qs = queryset_or_model if isinstance(queryset_or_model, models.QuerySet) else queryset_or_model.objects.all()
    try:
        return qs.visible_to(actor).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotVisible("记录不存在或超出您的辖区范围") from exc

"""A province-size data set on PostgreSQL, and EXPLAIN ANALYZE of the real queries against it. By hand.

    .venv/bin/pingan migrate && .venv/bin/pingan demo                 # personas (zhihui, suozhang …) first
    .venv/bin/python bench/province.py generate --incidents 100000     # tops up to that size …
    .venv/bin/python bench/province.py generate --incidents 300000     # … then grows it
    .venv/bin/python bench/province.py generate --incidents 1000000
    .venv/bin/python bench/province.py explain [--write]               # plans + timings of the list/report queries

``DATABASE_URL`` defaults to the bench cluster (postgres://pingan:pingan@127.0.0.1:54333/pingan).

``generate`` loads 14 banners of 4 leagues (巴彦淖尔, 鄂尔多斯, 阿拉善, 赤峰, 通辽) with the areas
loader, a 派出所 and a 司法所 per township, two 法律明白人 (with their staff files) per village-level
unit, then COPYs the year 2024 in proportion to ``--incidents N``: N incidents (weighted by the
banners' village counts, 5% of the last week's waiting for placement, ~3% in repeat groups of two), N/5 cases (each
with a party and half of them linked to an incident), N/10 disputes (two parties each, one in ten
from an incident), N/10 visits (with their team) and N/10 legal-literate persons' activities
(with participants). Rows are numbered with a ``P`` prefix, so the demo's own rows stay apart and
a second run only adds the difference. Ends with VACUUM ANALYZE.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from collections import defaultdict

from _common import load, setup

BANNERS = ("150824", "152922", "150627",  # the demo's three, then their neighbours and two far leagues
           "150821", "150822", "150823", "150825", "150826", "150802",
           "150621", "150622", "152921", "150429", "150521")
YEAR = 2024
TZ = dt.timezone(dt.timedelta(hours=8))
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "国华建军明英秀兰玉梅志强海涛巴特尔乌力吉其其格斯琴图雅宝音朝鲁达来呼和敖登格日勒苏和额尔敦"
CONTENT = ("报警人称其家中{n}只羊被盗", "报称与邻居因宅基地发生纠纷", "称接到冒充客服电话被骗{n}00元",
           "报称其家中被盗现金{n}000元", "称村道有车辆剐蹭发生纠纷", "报称有人在草场放火", "称家中老人走失求助",
           "报称有人酒后滋事", "称其摩托车被盗", "报称夫妻发生纠纷", "称拖欠工资{n}000元未付", "报称草场边界纠纷")


def rng_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


class Copier:
    """COPY rows of a model in its column order; fields not given get the model default, NULL or ''."""

    def __init__(self, cursor, model, fields: list[str], now: dt.datetime):
        self.cursor, self.model = cursor, model
        self.fields = self.fields_all = [model._meta.get_field(f) for f in fields]
        given = {f.attname for f in self.fields}
        self.fill = []
        for f in model._meta.concrete_fields:
            if f.attname in given or f.primary_key:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            elif f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            elif f.empty_strings_allowed:
                value = ""
            else:
                raise ValueError(f"{model.__name__}.{f.name}: no value, no default")
            if isinstance(value, (dict, list)):
                value = json.dumps(value, ensure_ascii=False)
            self.fill.append((f.column, value))
        # Encrypted personal data (pingan.core.crypto): the plaintext given is encrypted, and its lookup
        # hash / last-digits companions are computed from it, as the model's save() would.
        names = {f.name: i for i, f in enumerate(self.fields)}
        self.encrypt = [i for i, f in enumerate(self.fields) if hasattr(f, "companions")]
        self.companions = [(f, names[f.source]) for f in model._meta.concrete_fields
                           if getattr(f, "source", None) in names and hasattr(f, "value_for")]
        companion_cols = {f.column for f, _ in self.companions}
        self.fill = [(c, v) for c, v in self.fill if c not in companion_cols]
        self.fields = [f for f in self.fields if f.column not in companion_cols]
        self.given = [names[f.name] for f in self.fields]
        cols = [f.column for f in self.fields] + [f.column for f, _ in self.companions] + [c for c, _ in self.fill]
        self.extra = tuple(v for _, v in self.fill)
        self.sql = f'COPY {model._meta.db_table} ({", ".join(cols)}) FROM STDIN'
        self.rows = 0

    def __enter__(self):
        self.ctx = self.cursor.copy(self.sql)
        self.copy = self.ctx.__enter__()
        return self

    def write(self, *values):
        if self.encrypt or self.companions:
            plain = values
            values = list(values)
            for i in self.encrypt:
                values[i] = self.fields_all[i].get_prep_value(plain[i])
            values = tuple(values[i] for i in self.given) + tuple(f.value_for(plain[i]) for f, i in self.companions)
        self.copy.write_row(values + self.extra)
        self.rows += 1

    def __exit__(self, *exc):
        return self.ctx.__exit__(*exc)


def m2m_copier(cursor, model, field: str, now):
    through = model._meta.get_field(field).remote_field.through
    cols = [f.name for f in through._meta.concrete_fields if f.name != "id"]
    return Copier(cursor, through, cols, now)


def next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    return cursor.fetchone()[0] + 1


def reset_sequence(cursor, table: str) -> None:
    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))")


def setup_org(rng: random.Random):
    """Areas, stations, judicial offices, legal-literate persons with staff files: idempotent."""
    from django.db import transaction

    from pingan.accounts.models import User
    from pingan.areas.models import Area, Level
    from pingan.areas.services import areas_load_banner
    from pingan.legal.models import LegalPerson
    from pingan.org.models import AGENCY_LINE, Agency, AgencyKind, Staff, StaffCategory

    t = time.perf_counter()
    for code in BANNERS:
        areas_load_banner(banner_code=code)
    banners = {a.code[:6]: a for a in Area.objects.filter(level=Level.BANNER, code__in=[c + "000000" for c in BANNERS])}
    with transaction.atomic():
        have = {(a.area_id, a.kind) for a in Agency.objects.filter(kind__in=[AgencyKind.POLICE_STATION,
                                                                           AgencyKind.JUDICIAL_OFFICE])}
        new = []
        for banner in banners.values():
            for town in Area.objects.filter(path__startswith=banner.path, level=Level.TOWNSHIP):
                for kind, suffix in ((AgencyKind.POLICE_STATION, "派出所"), (AgencyKind.JUDICIAL_OFFICE, "司法所")):
                    if (town.pk, kind) not in have:
                        new.append(Agency(name=f"{town.short_name}{suffix}", kind=kind, line=AGENCY_LINE[kind], area=town))
        Agency.objects.bulk_create(new, ignore_conflicts=True)
        stations, offices = {}, {}
        for a in Agency.objects.filter(kind__in=[AgencyKind.POLICE_STATION, AgencyKind.JUDICIAL_OFFICE]):
            (stations if a.kind == AgencyKind.POLICE_STATION else offices).setdefault(a.area_id, a.pk)
        villages = defaultdict(list)  # banner code → [(village id, township id)]
        for banner in banners.values():
            for v in Area.objects.filter(path__startswith=banner.path, level=Level.VILLAGE).only("pk", "parent_id"):
                villages[banner.code[:6]].append((v.pk, v.parent_id))
        # Two legal-literate persons per village-level unit, with a staff file each.
        done = set(LegalPerson.objects.filter(staff__name_initials__startswith="bench").values_list("village_id", flat=True))
        persons = []
        for code, vs in villages.items():
            for vid, tid in vs:
                if vid in done or tid not in offices:
                    continue
                for k in range(2):
                    s = Staff(name=rng_name(rng), name_initials=f"bench{vid}_{k}", category=StaffCategory.LEGAL_LITERATE,
                              agency_id=offices[tid], area_id=vid, id_number=f"{code}{vid:09d}{k:02d}X"[:18],
                              phone=f"139{vid:06d}{k:02d}", gender=rng.choice("MF"), ethnicity="蒙古族",
                              birth_date=dt.date(1960 + vid % 30, 1 + k, 1))
                    persons.append(s)
        Staff.objects.bulk_create(persons, batch_size=2000)
        lps = [LegalPerson(staff=s, village_id=s.area_id, office_id=s.agency_id, source_category="两委成员",
                           channel="两委推荐", status="上岗", status_since=dt.date(2023, 6, 1), nominated_on=dt.date(2023, 3, 1),
                           selected_on=dt.date(2023, 5, 1), serving_on=dt.date(2023, 6, 1)) for s in persons]
        LegalPerson.objects.bulk_create(lps, batch_size=2000)
        legal = defaultdict(list)
        for pk, vid, sid in LegalPerson.objects.filter(staff__name_initials__startswith="bench") \
                .values_list("pk", "village_id", "staff_id"):
            legal[vid].append((pk, sid))
        # A province-level police reader (not an administrator) for the whole-province list.
        root = Area.objects.get(code="150000000000")
        if not User.objects.filter(username="bench_province").exists():
            u = User(username="bench_province", role="police_leader", jurisdiction=root, full_name="自治区公安厅指挥中心")
            u.set_password("Pingan@2024")
            u.save()
    print(f"org: {len(banners)} banners, {sum(len(v) for v in villages.values()):,} village-level units, "
          f"{len(stations):,} stations, {len(offices):,} judicial offices, "
          f"{sum(len(v) for v in legal.values()):,} legal-literate persons ({time.perf_counter() - t:.1f} s)")
    return banners, villages, stations, offices, legal


def generate(target: int, seed: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from pingan.cases.models import Case, CaseCategory, CaseKind, CaseParty, CaseStatus, Person
    from pingan.disputes.models import (
        Dispute,
        DisputeKind,
        DisputeParty,
        DisputeSource,
        DisputeStatus,
        Visit,
    )
    from pingan.disputes.models import PlaceKind as VisitPlace
    from pingan.incidents.models import Incident, IncidentCategory, IncidentStatus, RepeatCluster, RepeatKind
    from pingan.legal.models import Activity, ActivityKind

    rng = random.Random(seed + target)
    banners, villages, stations, offices, legal = setup_org(random.Random(seed))
    have = Incident.objects.filter(number__startswith="P").count()
    add = target - have
    if add <= 0:
        print(f"already {have:,} generated incidents (target {target:,}): nothing to add")
        return
    cats = list(IncidentCategory.objects.filter(parent__isnull=False).values_list("pk", "name"))
    case_cats = list(CaseCategory.objects.filter(parent__isnull=False).values_list("pk", flat=True)) or \
        list(CaseCategory.objects.values_list("pk", flat=True))
    if not cats or not case_cats:
        raise SystemExit("no incident/case categories: run `pingan demo` first")
    codes = list(villages)
    township_of = {v: t for vs in villages.values() for v, t in vs}
    weights = [len(villages[c]) for c in codes]
    now = timezone.now()
    start = dt.datetime(YEAR, 1, 1, tzinfo=TZ)
    seconds = 366 * 86400
    statuses = [IncidentStatus.CONCLUDED] * 17 + [IncidentStatus.RECEIVED, IncidentStatus.DISPATCHED,
                                                  IncidentStatus.TO_CASE, IncidentStatus.TO_DISPUTE]
    t0 = time.perf_counter()
    counts = {}
    with transaction.atomic():
        connection.ensure_connection()
        cur = connection.connection.cursor()
        # --- incidents and repeat groups --------------------------------------------------------
        iid = next_id(cur, Incident._meta.db_table)
        cid = next_id(cur, RepeatCluster._meta.db_table)
        seq = have
        by_banner: dict[str, list[tuple[int, int, dt.datetime]]] = defaultdict(list)  # code → (id, village, at)
        open_cluster: dict[str, list] = {}
        clusters = []
        cols = ["id", "number", "banner", "area", "needs_placement", "received_at", "caller_name", "caller_phone",
                "address", "category", "raw_category", "content", "status", "station", "source", "phone_key",
                "people", "cluster", "placement_note"]
        with Copier(cur, Incident, cols, now) as cp:
            for code in rng.choices(codes, weights, k=add):
                seq += 1
                banner = banners[code]
                vid, tid = rng.choice(villages[code])
                at = start + dt.timedelta(seconds=rng.randrange(seconds))
                cat_id, cat_name = rng.choice(cats)
                phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
                # 5% of the last week's calls wait for a person to place them (older ones were placed)
                placed = rng.random() > 0.05 or at < start + dt.timedelta(days=359)
                cluster = None
                if code in open_cluster:
                    c = open_cluster.pop(code)
                    c["size"], c["first_at"], c["last_at"] = 2, min(c["first_at"], at), max(c["last_at"], at)
                    cluster = c["id"]
                elif rng.random() < 0.015:
                    c = {"id": cid, "banner": banner.pk, "kind": rng.choice(RepeatKind.values), "first_at": at,
                         "last_at": at, "size": 1}
                    cid += 1
                    clusters.append(c)
                    open_cluster[code] = c
                    cluster = c["id"]
                caller = rng_name(rng)
                cp.write(iid, f"P{code}{seq:09d}", banner.pk, vid if placed else banner.pk, not placed, at, caller,
                         phone, f"{banner.short_name}某村{rng.randrange(1, 9)}组", cat_id, cat_name,
                         rng.choice(CONTENT).format(n=rng.randrange(1, 30)), rng.choice(statuses),
                         stations.get(tid), "import", phone, caller, cluster,
                         "" if placed else "地址无法对应到村级单位")
                by_banner[code].append((iid, vid, at))
                iid += 1
            counts["incidents"] = cp.rows
        with Copier(cur, RepeatCluster, ["id", "banner", "kind", "first_at", "last_at", "size"], now) as cp:
            for c in clusters:
                cp.write(c["id"], c["banner"], c["kind"], c["first_at"], c["last_at"], c["size"])
            counts["repeat groups"] = cp.rows
        print(f"incidents +{counts['incidents']:,} ({time.perf_counter() - t0:.1f} s, load {load()})", flush=True)

        # --- cases, their people and source incidents -------------------------------------------
        n_cases = round(add / 5)
        case_id = next_id(cur, Case._meta.db_table)
        person_id = next_id(cur, Person._meta.db_table)
        final = {"solved", "prosecuted", "decided", "closed"}
        have_cases = Case.objects.filter(number__startswith="P").count()
        links, parties = [], []
        with Copier(cur, Case, ["id", "number", "kind", "category", "title", "area", "station", "accepted_on",
                                "solved_on", "status", "summary"], now) as cp:
            for k in range(n_cases):
                code = rng.choices(codes, weights)[0]
                inc_id, vid, at = rng.choice(by_banner[code])
                tid = township_of[vid]
                status = rng.choice(CaseStatus.values)
                accepted = at.date()
                cp.write(case_id, f"P{code}{have_cases + k:09d}", rng.choice(CaseKind.values), rng.choice(case_cats),
                         "盗窃牲畜案" if k % 3 == 0 else "治安案件", vid, stations.get(tid), accepted,
                         accepted + dt.timedelta(days=rng.randrange(1, 60)) if status in final else None, status,
                         "generated")
                if k % 2 == 0:
                    links.append((case_id, inc_id))
                parties.append((case_id, person_id))
                person_id += 1
                case_id += 1
            counts["cases"] = cp.rows
        with Copier(cur, Person, ["id", "name", "phone", "gender"], now) as cp:
            for _, pid in parties:
                cp.write(pid, rng_name(rng), f"138{pid:08d}"[:11], rng.choice("MF"))
            counts["case persons"] = cp.rows
        with Copier(cur, CaseParty, ["case", "person", "role"], now) as cp:
            for case, pid in parties:
                cp.write(case, pid, rng.choice(("suspect", "victim")))
        with m2m_copier(cur, Case, "incidents", now) as cp:
            for case, inc in links:
                cp.write(case, inc)
            counts["case↔incident links"] = cp.rows
        print(f"cases +{counts['cases']:,} ({time.perf_counter() - t0:.1f} s)", flush=True)

        # --- disputes with parties; visits with teams; legal activities with participants -------
        n_disputes = round(add / 10)
        did = next_id(cur, Dispute._meta.db_table)
        have_d = Dispute.objects.filter(number__startswith="P").count()
        dparties = []
        with Copier(cur, Dispute, ["id", "number", "title", "kind", "source", "source_incident", "area", "people_involved",
                                   "risk", "status", "registered_at", "deadline", "closed_at", "result"], now) as cp:
            for k in range(n_disputes):
                code = rng.choices(codes, weights)[0]
                inc_id, vid, at = rng.choice(by_banner[code])
                from_incident = k % 10 == 0
                status = rng.choice(DisputeStatus.values)
                closed = status == DisputeStatus.CLOSED
                cp.write(did, f"P{have_d + k:09d}", "邻里宅基地纠纷" if k % 2 else "草场边界纠纷",
                         rng.choice(DisputeKind.values), DisputeSource.INCIDENT if from_incident else rng.choice(
                             DisputeSource.values[1:]), inc_id if from_incident else None, vid, 2,
                         rng.choice((1, 1, 1, 2, 3)), status, at, (at + dt.timedelta(days=30)).date(),
                         at + dt.timedelta(days=rng.randrange(1, 40)) if closed else None,
                         "success" if closed and rng.random() < 0.85 else ("failed" if closed else ""))
                dparties.append(did)
                did += 1
            counts["disputes"] = cp.rows
        with Copier(cur, DisputeParty, ["dispute", "name", "role", "phone"], now) as cp:
            for d in dparties:
                for role in ("申请人", "被申请人"):
                    cp.write(d, rng_name(rng), role, f"13{rng.randrange(10**9):09d}")
            counts["dispute parties"] = cp.rows
        n_visits = round(add / 10)
        vis_id = next_id(cur, Visit._meta.db_table)
        teams = []
        with Copier(cur, Visit, ["id", "area", "place_kind", "place_name", "visited_on", "findings"], now) as cp:
            for _ in range(n_visits):
                code = rng.choices(codes, weights)[0]
                vid, _ = rng.choice(villages[code])
                cp.write(vis_id, vid, rng.choice(VisitPlace.values), "某户", dt.date(YEAR, 1, 1) + dt.timedelta(
                    days=rng.randrange(366)), "走访未发现异常")
                if legal.get(vid):
                    teams.append((vis_id, legal[vid][0][1]))
                vis_id += 1
            counts["visits"] = cp.rows
        with m2m_copier(cur, Visit, "team", now) as cp:
            for v, s in teams:
                cp.write(v, s)
        n_act = round(add / 10)
        act_id = next_id(cur, Activity._meta.db_table)
        parts = []
        with Copier(cur, Activity, ["id", "kind", "date", "village", "office", "title", "audience_count", "summary"],
                    now) as cp:
            for _ in range(n_act):
                code = rng.choices(codes, weights)[0]
                vid, tid = rng.choice(villages[code])
                if tid not in offices:
                    continue
                cp.write(act_id, rng.choice(ActivityKind.values), dt.date(YEAR, 1, 1) + dt.timedelta(
                    days=rng.randrange(366)), vid, offices[tid], "民法典进牧区宣传", rng.randrange(5, 80), "generated")
                for lp, _ in legal.get(vid, [])[:rng.choice((1, 2))]:
                    parts.append((act_id, lp))
                act_id += 1
            counts["legal activities"] = cp.rows
        with m2m_copier(cur, Activity, "participants", now) as cp:
            for a, lp in parts:
                cp.write(a, lp)
        for model in (Incident, RepeatCluster, Case, Person, Dispute, Visit, Activity):
            reset_sequence(cur, model._meta.db_table)
    t = time.perf_counter() - t0
    print(f"copied in {t:.1f} s: " + ", ".join(f"{k} +{v:,}" for k, v in counts.items()), flush=True)
    t1 = time.perf_counter()
    connection.connection.autocommit = True
    with connection.connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE {time.perf_counter() - t1:.1f} s; total {Incident.objects.count():,} incidents, "
          f"{Case.objects.count():,} cases, {Dispute.objects.count():,} disputes, {Visit.objects.count():,} visits, "
          f"{Activity.objects.count():,} activities; load {load()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--incidents", type=int, default=1_000_000)
    g.add_argument("--seed", type=int, default=7)
    e = sub.add_parser("explain")
    e.add_argument("--write", action="store_true", help="write the timings to bench/RESULTS.md")
    args = parser.parse_args()
    setup()
    if args.cmd == "generate":
        generate(args.incidents, args.seed)
    else:
        from explain import run

        run(write=args.write)


if __name__ == "__main__":
    main()

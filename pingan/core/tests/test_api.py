"""The JSON API: authentication, the error contract (404 / 403 / 401 / 422 / 400, always JSON in
Chinese, never a 500), CSRF for sessions, masking, the OpenAPI document, and what each route returns.
Who may call which route, at which place, is the permission matrix's job (test_permission_matrix)."""

import datetime as dt
import json

import pytest
from django.test import Client

from pingan.accounts.models import ApiToken
from pingan.accounts.services import token_create
from pingan.areas.models import Area, AreaKind
from pingan.core.models import AuditAction, AuditLog, AuditResult
from pingan.core.scope import scope_of
from pingan.org.models import AgencyKind, AssignmentRole, StaffCategory, TeamSeat, VillageAssignment
from pingan.testing.factories import AgencyFactory, PostingFactory, StaffFactory, area
from pingan.testing.personas import BANNER, OTHER_BANNER, SIBLING_TOWNSHIP, SIBLING_VILLAGE, TOWNSHIP, VILLAGE

pytestmark = pytest.mark.django_db



@pytest.fixture
def bearer(persona):
    """bearer("station_chief") → a client that calls the API with that persona's token."""

    def make(login: str) -> Client:
        raw = token_create(actor=None, user=persona(login))
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


def post_json(client, url, body, method="post", **extra):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **extra)


def station(code=TOWNSHIP, **kw):
    return AgencyFactory(kind=AgencyKind.POLICE_STATION, area=area(code), **kw)


# ---------------------------------------------------------------- authentication


def test_me_tells_the_caller_who_they_are(bearer):
    body = bearer("station_chief").get("/api/me").json()
    assert body["login"] == "station_chief"
    assert body["role"] == "station_chief"
    assert body["role_name"] == "派出所所长"
    assert body["jurisdiction_code"] == TOWNSHIP
    assert body["agency"] == "海流图镇派出所"


def test_without_credentials_the_api_answers_401_in_chinese():
    response = Client().get("/api/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "未登录，或API令牌无效、已吊销"}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_answers_401_and_does_not_fall_back_to_the_session(persona):
    user = persona("hq_officer")
    raw = token_create(actor=None, user=user)
    ApiToken.objects.filter(user=user).update(revoked=True)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.force_login(user)  # even with a valid session cookie, a bad token is refused
    response = client.get("/api/me")
    assert response.status_code == 401
    row = AuditLog.objects.get(action=AuditAction.LOGIN_FAILED, object_type="accounts.ApiToken")
    assert row.result == AuditResult.FAILED and row.object_repr == raw[:8] + "…"


def test_a_token_of_a_disabled_user_answers_401(persona):
    user = persona("hq_officer")
    raw = token_create(actor=None, user=user)
    user.is_active = False
    user.save()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/me").status_code == 401


def test_a_token_records_when_it_was_last_used(bearer):
    bearer("hq_officer").get("/api/me")
    assert ApiToken.objects.get().last_used_at is not None


def test_a_session_works_for_reads(client_as):
    assert client_as("hq_officer").get("/api/me").json()["login"] == "hq_officer"


def test_a_session_write_without_csrf_is_refused_and_writes_nothing(persona):
    client = Client(enforce_csrf_checks=True)
    client.force_login(persona("hq_officer"))
    before = Area.objects.count()
    response = post_json(client, f"/api/areas/{VILLAGE}/grids", {"name": "一网格"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert Area.objects.count() == before


def test_a_session_write_with_the_csrf_token_goes_through(persona):
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")  # the login form sets the CSRF cookie
    client.force_login(persona("hq_officer"))
    token = client.cookies["csrftoken"].value
    response = post_json(client, f"/api/areas/{VILLAGE}/grids", {"name": "一网格"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_a_bearer_write_needs_no_csrf_token(bearer):
    client = bearer("hq_officer")
    assert post_json(client, f"/api/areas/{VILLAGE}/grids", {"name": "一网格"}).status_code == 201


# ---------------------------------------------------------------- the error contract


def test_an_out_of_scope_record_answers_404_json_without_revealing_it(bearer):
    client = bearer("station_chief")
    hidden = client.get(f"/api/areas/{SIBLING_TOWNSHIP}")
    missing = client.get("/api/areas/999999999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"detail": "记录不存在或超出您的辖区范围"}


def test_a_role_that_may_not_use_a_route_gets_403_json_and_an_audit_row(bearer):
    response = bearer("grid_worker").get(f"/api/org/coverage/{VILLAGE}")
    assert response.status_code == 403
    assert response.json() == {"detail": "您的角色无权访问此功能"}
    row = AuditLog.objects.get(action=AuditAction.DENIED)
    assert row.actor_login == "grid_worker"
    assert row.result == AuditResult.DENIED
    assert row.object_repr == f"API GET /api/org/coverage/{VILLAGE}"


def test_a_role_that_may_not_write_gets_403_before_the_record_is_even_looked_up(bearer):
    response = post_json(bearer("village_officer"), f"/api/areas/{SIBLING_VILLAGE}/grids", {"name": "一网格"})
    assert response.status_code == 403
    assert not Area.objects.filter(kind=AreaKind.GRID).exists()


@pytest.mark.parametrize("body, field, message", [
    ({}, "name", "必填"),
    ({"name": ""}, "name", "至少1个字符"),
    ({"name": "网" * 61}, "name", "最多60个字符"),
    ({"name": "一网格", "population": -5}, "population", "不能小于0"),
    ({"name": "一网格", "population": "很多"}, "population", "应为整数"),
    ({"name": ["一网格"]}, "name", "应为文本"),
])
def test_invalid_input_answers_422_with_a_chinese_reason_per_field(bearer, body, field, message):
    response = post_json(bearer("hq_officer"), f"/api/areas/{VILLAGE}/grids", body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"loc": ["body", field], "msg": message} == {k: errors[0][k] for k in ("loc", "msg")}
    assert response.json()["detail"] == f"请求参数有误：{field}：{message}"


def test_a_body_that_is_not_json_answers_400(bearer):
    response = bearer("hq_officer").post(f"/api/areas/{VILLAGE}/grids", data="{名称", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体不是有效的JSON"}


@pytest.mark.parametrize("url, message", [
    ("/api/org/staff/abc", "应为整数"),
    ("/api/org/staff?limit=-1", "不能小于1"),
    ("/api/org/staff?limit=501", "不能大于500"),
    ("/api/org/staff?offset=99999999999999999999999", "不能大于1000000000"),
    ("/api/org/staff?category=警察", "取值应为"),
    ("/api/org/staff?active=也许", "应为true或false"),
    (f"/api/org/coverage/{VILLAGE}?date=2024-13-01", "日期格式应为YYYY-MM-DD"),
    (f"/api/areas/{BANNER}/search", "必填"),
])
def test_bad_parameters_answer_422_in_chinese(bearer, url, message):
    response = bearer("hq_officer").get(url)
    assert response.status_code == 422
    assert message in response.json()["detail"]


@pytest.mark.parametrize("code, body, message", [
    (TOWNSHIP, {"name": "一网格"}, "网格只能建在村、嘎查或社区之下"),
    (VILLAGE, {"name": "   "}, "网格名称不能为空"),
])
def test_a_write_the_service_refuses_answers_400_with_its_reason(bearer, code, body, message):
    response = post_json(bearer("hq_officer"), f"/api/areas/{code}/grids", body)
    assert response.status_code == 400
    assert response.json() == {"detail": message}


def test_a_duplicate_grid_answers_400(bearer):
    client = bearer("hq_officer")
    assert post_json(client, f"/api/areas/{VILLAGE}/grids", {"name": "一网格"}).status_code == 201
    response = post_json(client, f"/api/areas/{VILLAGE}/grids", {"name": "一网格"})
    assert response.status_code == 400
    assert response.json()["detail"] == "巴仁宝勒格村下已有网格“一网格”"


def test_an_unknown_method_is_not_a_500(bearer):
    assert bearer("hq_officer").delete(f"/api/areas/{VILLAGE}").status_code == 405


# ---------------------------------------------------------------- areas


def test_an_area_and_its_children(bearer):
    client = bearer("station_chief")
    township = client.get(f"/api/areas/{TOWNSHIP}").json()
    assert township == {"code": TOWNSHIP, "name": "海流图镇", "short_name": "海流图镇", "kind": "镇", "level": 3,
                        "parent_code": BANNER, "population": None, "households": None}
    children = client.get(f"/api/areas/{TOWNSHIP}/children").json()
    assert VILLAGE in [c["code"] for c in children]
    assert all(c["parent_code"] == TOWNSHIP and c["level"] == 4 for c in children)


def test_a_subtree_search_by_name_stays_inside_the_subtree_and_the_scope(bearer):
    client = bearer("hq_officer")
    body = client.get(f"/api/areas/{BANNER}/search", {"q": "巴彦"}).json()
    codes = [item["code"] for item in body["items"]]
    assert body["count"] == len(codes) > 1
    assert SIBLING_VILLAGE in codes  # 巴彦塔拉村
    assert all(c.startswith("150824") for c in codes)
    gachas = client.get(f"/api/areas/{BANNER}/search", {"q": "嘎查", "kind": "嘎查", "limit": 100}).json()
    assert gachas["count"] == 63
    assert bearer("village_officer").get(f"/api/areas/{BANNER}/search", {"q": "巴彦"}).status_code == 404


def test_the_subtree_search_is_one_sql_query(persona, django_assert_num_queries):
    from pingan.areas.api import _search

    user = persona("hq_officer")
    root = area(BANNER)
    scope_of(user, reference=True)  # the scope is computed once per request, before the search
    with django_assert_num_queries(1):
        found = list(_search(user, root, "村"))
    assert len(found) > 20


def test_creating_a_grid_through_the_api_calls_the_service_and_is_audited(bearer):
    response = post_json(bearer("station_chief"), f"/api/areas/{VILLAGE}/grids", {"name": "东网格", "population": 80})
    assert response.status_code == 201
    grid = response.json()
    assert grid == {"code": VILLAGE + "001", "name": "东网格", "short_name": "东网格", "kind": "网格", "level": 5,
                    "parent_code": VILLAGE, "population": 80, "households": None}
    row = AuditLog.objects.get(action=AuditAction.CREATE, object_type="areas.Area")
    assert row.actor_login == "station_chief" and row.object_id == str(Area.objects.get(code=grid["code"]).pk)


def test_updating_population_through_the_api(bearer):
    client = bearer("station_chief")
    response = post_json(client, f"/api/areas/{VILLAGE}/population", {"population": 1520, "households": 610},
                         method="put")
    assert response.status_code == 200
    assert (response.json()["population"], response.json()["households"]) == (1520, 610)
    row = AuditLog.objects.get(action=AuditAction.UPDATE, object_type="areas.Area")
    assert row.after == {"population": 1520, "households": 610}
    bad = post_json(client, f"/api/areas/{VILLAGE}/population", {"population": -1, "households": 610}, method="put")
    assert bad.status_code == 422 and "不能小于0" in bad.json()["detail"]


# ---------------------------------------------------------------- org


def test_the_staff_list_masks_personal_data_even_for_roles_entitled_to_it(bearer):
    person = StaffFactory(agency=station(), area=area(VILLAGE), phone="13804711234")
    body = bearer("hq_officer").get("/api/org/staff").json()  # 局领导 may reveal on the page, audited
    (item,) = body["items"]
    assert item["phone"] == "138****1234"
    assert item["id_number"] == person.id_number[:6] + "********" + person.id_number[-4:]
    assert person.id_number not in json.dumps(body)


@pytest.mark.parametrize("query, expect", [
    ({"q": "bte"}, ["巴特尔"]),  # pinyin initials
    ({"q": "1234"}, ["巴特尔"]),  # phone digits
    ({"q": "乌云"}, ["乌云其其格"]),
    ({"category": "民警"}, ["乌云其其格"]),
    ({"area": SIBLING_VILLAGE}, ["乌云其其格"]),
    ({"active": "false"}, ["张海军"]),
])
def test_the_staff_list_uses_the_pages_filters(bearer, query, expect):
    s = station()
    StaffFactory(name="巴特尔", agency=s, area=area(VILLAGE), phone="13804711234")
    StaffFactory(name="乌云其其格", agency=s, area=area(SIBLING_VILLAGE), phone="13904710000",
                 category=StaffCategory.POLICE_OFFICER)
    StaffFactory(name="张海军", agency=s, area=area(TOWNSHIP), phone="13704710000", active=False)
    body = bearer("station_chief").get("/api/org/staff", query).json()
    assert sorted(i["name"] for i in body["items"]) == sorted(expect)


def test_the_staff_list_by_last_digits_of_the_id_number(bearer):
    person = StaffFactory(agency=station(), area=area(VILLAGE))
    StaffFactory(agency=station(), area=area(VILLAGE))
    body = bearer("station_chief").get("/api/org/staff", {"q": person.id_number[-4:]}).json()
    assert [i["id"] for i in body["items"]] == [person.pk]


def test_the_staff_filter_by_area_matches_whole_codes_only(bearer):
    StaffFactory(agency=station(), area=area(VILLAGE))
    body = bearer("station_chief").get("/api/org/staff", {"area": VILLAGE[6:]}).json()
    assert body["items"] == []


def test_staff_detail_has_postings_assignments_seats_and_computed_grassroots_days(bearer):
    hq = AgencyFactory(kind=AgencyKind.POLICE_HQ, area=area(BANNER), name="指挥中心")
    st = station(name="海流图派出所")
    person = StaffFactory(agency=st, area=area(VILLAGE), category=StaffCategory.AUXILIARY)
    PostingFactory(staff=person, agency=hq, start=dt.date(2020, 1, 1), end=dt.date(2021, 12, 31))
    PostingFactory(staff=person, agency=st, start=dt.date(2022, 1, 1), end=dt.date(2022, 12, 31))
    VillageAssignment.objects.create(staff=person, village=area(VILLAGE), role=AssignmentRole.AUXILIARY,
                                     start=dt.date(2022, 3, 1))
    TeamSeat.objects.create(staff=person, area=area(VILLAGE), position="村两委委员", start=dt.date(2023, 1, 1))
    body = bearer("station_chief").get(f"/api/org/staff/{person.pk}").json()
    assert body["grassroots_days"] == (dt.date(2022, 12, 31) - dt.date(2022, 1, 1)).days
    assert [(p["agency"], p["agency_kind"], p["start"]) for p in body["postings"]] == [
        ("指挥中心", "police_hq", "2020-01-01"), ("海流图派出所", "police_station", "2022-01-01")]
    assert body["assignments"] == [{"village_code": VILLAGE, "village": "巴仁宝勒格村", "township": "海流图镇",
                                    "role": "驻村辅警", "start": "2022-03-01", "end": None}]
    assert body["seats"] == [{"area_code": VILLAGE, "area": "巴仁宝勒格村", "position": "村两委委员",
                              "start": "2023-01-01", "end": None}]
    assert body["id_number"] == person.id_masked and body["phone"] == person.phone_masked


def test_staff_of_another_line_in_the_same_township_answers_404(bearer):
    office = AgencyFactory(kind=AgencyKind.JUDICIAL_OFFICE, area=area(TOWNSHIP))
    mediator = StaffFactory(agency=office, category=StaffCategory.MEDIATOR)
    assert bearer("station_chief").get(f"/api/org/staff/{mediator.pk}").status_code == 404
    assert bearer("judicial_office").get(f"/api/org/staff/{mediator.pk}").status_code == 200


def test_agencies_are_listed_within_scope_and_line(bearer):
    mine = station(name="海流图派出所")
    station(code=SIBLING_TOWNSHIP, name="乌加河派出所")
    AgencyFactory(kind=AgencyKind.JUDICIAL_OFFICE, area=area(TOWNSHIP), name="海流图司法所")
    body = bearer("station_chief").get("/api/org/agencies").json()
    names = {i["name"] for i in body["items"]}
    assert "海流图派出所" in names
    assert not names & {"乌加河派出所", "海流图司法所"}
    item = next(i for i in body["items"] if i["id"] == mine.pk)
    assert (item["kind"], item["kind_name"], item["line"], item["area_code"]) == (
        "police_station", "派出所", "police", TOWNSHIP)


def test_agencies_filter_by_area_matches_whole_codes_only(bearer):
    station(name="海流图派出所")
    body = bearer("hq_officer").get("/api/org/agencies", {"area": "100000"}).json()  # a code's tail, not a code
    assert body["items"] == []


def test_coverage_per_area(bearer):
    aux = StaffFactory(name="巴特尔", agency=station(), area=area(VILLAGE), category=StaffCategory.AUXILIARY)
    VillageAssignment.objects.create(staff=aux, village=area(VILLAGE), role=AssignmentRole.AUXILIARY,
                                     start=dt.date(2024, 1, 1))
    body = bearer("station_chief").get(f"/api/org/coverage/{TOWNSHIP}", {"date": "2024-06-30"}).json()
    assert body["root_code"] == TOWNSHIP and body["as_of"] == "2024-06-30"
    row = next(r for r in body["rows"] if r["village_code"] == VILLAGE)
    assert row["auxiliaries"] == ["巴特尔"] and row["covered"] is True
    assert body["admin_villages_covered"] == 1
    assert body["gaps"] == len(body["rows"]) - 1
    before = bearer("station_chief").get(f"/api/org/coverage/{TOWNSHIP}", {"date": "2023-12-31"}).json()
    assert before["admin_villages_covered"] == 0


def test_the_other_banner_is_out_of_everyones_reach_but_its_own(bearer):
    assert bearer("hq_officer").get(f"/api/areas/{OTHER_BANNER}").status_code == 404


# ---------------------------------------------------------------- the OpenAPI document


@pytest.fixture
def openapi():
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_openapi_document_declares_the_bearer_scheme(openapi):
    assert openapi["components"]["securitySchemes"]["BearerToken"] == {"type": "http", "scheme": "bearer"}
    assert openapi["components"]["securitySchemes"]["SessionAuth"]["in"] == "cookie"


def test_every_operation_has_a_success_schema_error_answers_and_security(openapi):
    for path, ops in openapi["paths"].items():
        for method, op in ops.items():
            where = f"{method.upper()} {path}"
            success = [c for c in op["responses"] if c.startswith("2")]
            assert success, f"{where}: no success response"
            for code in success:
                schema = op["responses"][code]["content"]["application/json"]["schema"]
                assert schema, f"{where}: {code} without a schema"
            for code in ("401", "403", "404", "422"):
                assert op["responses"][code]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ApiError"}, f"{where}: no {code} answer"
            if method != "get":
                assert "400" in op["responses"], f"{where}: a write without its 400 answer"
            assert {"BearerToken": []} in op["security"], f"{where}: not described as Bearer-authenticated"
            assert op.get("summary"), f"{where}: no summary"


def test_the_openapi_document_says_which_roles_may_call_each_operation(openapi):
    op = openapi["paths"]["/api/areas/{code}/grids"]["post"]
    assert "允许的角色：系统管理员、局领导/指挥中心、派出所所长。" in op["description"]


# ---------------------------------------------------------------- query budgets


@pytest.mark.parametrize("url", ["/api/org/staff", "/api/org/agencies", f"/api/areas/{BANNER}/children",
                                 f"/api/areas/{BANNER}/search?q=村", f"/api/org/coverage/{BANNER}"])
def test_lists_cost_a_fixed_number_of_queries(bearer, django_assert_max_num_queries, url):
    client = bearer("hq_officer")
    for code in (VILLAGE, SIBLING_VILLAGE, TOWNSHIP):
        s = station(code, name=f"{code}派出所")
        for _ in range(10):
            StaffFactory(agency=s, area=area(code))
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200

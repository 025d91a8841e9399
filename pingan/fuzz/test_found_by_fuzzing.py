"""What the API fuzz found, pinned as plain examples (so they stay fixed without the fuzz's luck).

Each answered 500, or an answer the OpenAPI document does not list, before the fix."""

from __future__ import annotations

import pytest
from django.test import Client

from pingan.accounts.services import token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as(persona):
    def get(login: str) -> Client:
        return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(actor=None, user=persona(login), name='test')}")

    return get


@pytest.mark.parametrize("url", [
    "/api/disputes/-1",  # the route's <int:…> converter does not match: Django's own 404, once an HTML page
    "/api/disputes/5.9e-08/close",
    "/api/no-such-thing",
])
def test_an_unknown_api_path_answers_json_404(api_as, url):
    response = api_as("hq_officer").get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json") and response.json()["detail"]


def test_a_page_that_does_not_exist_is_still_the_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("login, url, field", [
    # A value the page's FilterSet refuses: was 400, which the document does not list for reads.
    ("hq_officer", "/api/incidents/?repeats=防范非法集资宣传", "repeats"),
    ("hq_officer", "/api/disputes/hazards?place_kind=x", "place_kind"),
    # A date whose start of day cannot be turned into UTC: was an OverflowError (500).
    ("hq_officer", "/api/incidents/?date_from=0001-01-01", "date_from"),
    ("hq_officer", "/api/incidents/?date_to=9999-12-31", "date_to"),
    # A year out of range: was a ValueError in the year lookup (500).
    ("prosecutor", "/api/procuratorate/leads?year=35184372088832", "year"),
    ("justice_clerk", "/api/legal/activities?year=-4611686018427387904", "year"),
    # An offset beyond SQLite's integers: was an OverflowError (500); these lists now use Pages.
    ("prosecutor", "/api/procuratorate/fraud?offset=9732126151527788706195832832", "offset"),
    ("hq_officer", "/api/incidents/?offset=9732126151527788706195832832", "offset"),
])
def test_bad_list_parameters_answer_422_naming_the_field(api_as, login, url, field):
    response = api_as(login).get(url)
    assert response.status_code == 422, response.content
    body = response.json()
    assert [e["loc"] for e in body["errors"]] == [["query", field]]
    assert body["detail"].startswith("请求参数有误：") and any("\u4e00" <= ch <= "\u9fff" for ch in body["errors"][0]["msg"])


def test_the_org_and_legal_coverage_answers_are_documented_by_their_own_schemas(client):
    """Two apps' CoverageRowOut shared one entry in components/schemas: /api/org/coverage was
    described with 法律明白人's fields (quota, persons …) and every real answer violated it."""
    doc = client.get("/api/openapi.json").json()

    def row_schema(path):
        ref = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        rows = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]["rows"]["items"]["$ref"]
        return doc["components"]["schemas"][rows.rsplit("/", 1)[1]]

    assert "auxiliaries" in row_schema("/api/org/coverage/{code}")["properties"]
    assert "quota" in row_schema("/api/legal/coverage/{code}")["properties"]

"""GET /api/reports/indicators and /api/reports/{banner}/{year}, cut by the caller's scope."""

import pytest

from pingan.reports.registry import all_indicators

pytestmark = pytest.mark.django_db


def test_the_indicator_catalogue_lists_the_registry(client_as):
    data = client_as("hq_officer").get("/api/reports/indicators").json()
    assert [d["code"] for d in data] == [i.code for i in all_indicators()]
    first = data[0]
    assert first["programme"] == "org" and first["programme_name"] == "组织与警力"
    assert {"name", "unit", "description"} <= set(first)


def test_the_report_is_one_object_of_values_cut_to_the_caller(client_as, world):
    leader = client_as("hq_officer").get("/api/reports/150824/2024").json()
    chief = client_as("station_chief").get("/api/reports/150824000000/2024").json()
    assert leader["banner"] == chief["banner"] == "150824000000" and leader["year"] == 2024
    assert set(leader["values"]) == {i.code for i in all_indicators()}
    assert leader["values"]["org.auxiliary_officers_assigned"] == 3
    assert chief["values"]["org.auxiliary_officers_assigned"] == 1


def test_a_bearer_token_reads_the_report_too(persona, client, world):
    from pingan.accounts.models import ApiToken, hash_token

    raw = ApiToken.generate()
    ApiToken.objects.create(user=persona("hq_officer"), prefix=raw[:8], key_hash=hash_token(raw))
    response = client.get("/api/reports/150824/2024", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["values"]["org.staff_moved_to_stations"] == 2


def test_a_banner_out_of_scope_or_a_bad_year_answers_404(client_as):
    assert client_as("station_chief").get("/api/reports/152922/2024").status_code == 404
    assert client_as("hq_officer").get("/api/reports/150824/1990").status_code == 404


def test_the_report_routes_are_in_the_openapi_document(client_as):
    paths = client_as("hq_officer").get("/api/openapi.json").json()["paths"]
    assert "/api/reports/indicators" in paths
    assert "/api/reports/{banner_code}/{year}" in paths


def test_anonymous_callers_are_refused(client):
    assert client.get("/api/reports/150824/2024").status_code == 401

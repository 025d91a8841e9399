"""`pingan users list --format json` and `pingan token create LOGIN`."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from pingan.accounts.models import ApiToken
from pingan.core.models import AuditAction, AuditLog
from pingan.testing.personas import BANNER, PERSONAS, TOWNSHIP

pytestmark = pytest.mark.django_db



def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_users_list_json_has_login_role_agency_and_jurisdiction_code(persona):
    for login in PERSONAS:
        persona(login)
    users = json.loads(run("users", "list", "--format", "json"))
    assert isinstance(users, list) and len(users) == len(PERSONAS)
    assert all({"login", "role", "agency", "jurisdiction_code"} <= set(u) for u in users)
    chief = next(u for u in users if u["login"] == "station_chief")
    assert (chief["role"], chief["agency"], chief["jurisdiction_code"]) == ("station_chief", "海流图镇派出所", TOWNSHIP)
    sysadmin = next(u for u in users if u["login"] == "sysadmin")
    assert (sysadmin["agency"], sysadmin["jurisdiction_code"]) == ("", BANNER)
    assert all(len(u["jurisdiction_code"]) == 12 for u in users)


def test_token_create_prints_a_token_that_works_as_bearer_and_is_audited(persona):
    persona("station_chief")
    raw = run("token", "create", "station_chief").strip()
    assert raw.startswith("pa_")
    token = ApiToken.objects.get()
    assert token.key_hash != raw and raw not in token.key_hash  # only the hash is kept
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/me")
    assert response.status_code == 200 and response.json()["login"] == "station_chief"
    row = AuditLog.objects.get(action=AuditAction.TOKEN)
    assert row.actor_login == "command-line"
    assert "station_chief" in row.object_repr and raw not in row.object_repr


def test_a_revoked_token_no_longer_works(persona):
    persona("station_chief")
    raw = run("token", "create", "station_chief").strip()
    ApiToken.objects.update(revoked=True)
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/me")
    assert response.status_code == 401
    assert response.json()["detail"] == "未登录，或API令牌无效、已吊销"


def test_token_create_refuses_an_unknown_or_disabled_user(persona):
    with pytest.raises(CommandError, match="没有登录名为 nobody 的用户"):
        run("token", "create", "nobody")
    user = persona("station_chief")
    user.is_active = False
    user.save()
    with pytest.raises(CommandError, match="未启用或没有角色"):
        run("token", "create", "station_chief")
    assert not ApiToken.objects.exists()

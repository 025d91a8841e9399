"""Security headers on every answer, no-store on signed-in ones, a CSP without inline script, and the
generic Chinese error pages with DEBUG off (no trace, no SQL, no personal data; the 500 logged with
its request id)."""

import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from pingan.accounts.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db

TEMPLATE_ROOT = Path(settings.BASE_DIR)


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def test_every_answer_carries_the_security_headers(client):
    response = client.get(reverse("accounts:login"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert not any(s.startswith("http") for values in csp.values() for s in values), "no third-party origin"


def test_a_signed_in_page_is_not_stored_by_any_cache(client_as):
    response = client_as("hq_officer").get(reverse("accounts:home"))
    assert response["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response


def test_an_api_answer_to_a_token_is_not_stored_by_any_cache(persona):
    user = persona("hq_officer")
    ApiToken.objects.create(user=user, key_hash=hash_token("t0ken-for-headers"), prefix="t0ken-fo", name="t")
    response = Client().get("/api/me", HTTP_AUTHORIZATION="Bearer t0ken-for-headers")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_an_answer_to_nobody_signed_in_is_left_alone(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_nonce_given_to_a_template_is_the_one_in_the_header(client_as):
    """disputes/_style.html uses request.csp_nonce: the header must allow exactly that nonce."""
    response = client_as("hq_officer").get(reverse("disputes:list"))
    if response.status_code != 200:
        pytest.skip(f"disputes list answered {response.status_code}")
    nonce = re.search(r'<style nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in directives(response)["style-src"]


# ---------------------------------------------------------------- no inline script in any template

_SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
_STYLE = re.compile(r"<style\b([^>]*)>", re.I)
_COMMENT = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.S)
_HANDLER = re.compile(r"""<[a-z][^>]*\s(on[a-z]+)\s*=\s*["']""", re.I | re.S)


def template_files():
    for path in sorted(TEMPLATE_ROOT.rglob("templates/**/*.html")):
        if ".venv" not in path.parts and "node_modules" not in path.parts:
            yield path


def test_no_template_has_an_inline_script_handler_or_style_element():
    """The CSP refuses inline script: every <script> has a src (or is JSON data from json_script), no
    element has an on…= handler (use the data-* behaviours of pingan/static/pingan/pingan.js), and a
    <style> element carries the request's nonce."""
    offences = []
    for path in template_files():
        text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), path.read_text(encoding="utf-8"))
        where = path.relative_to(TEMPLATE_ROOT.parent)
        for m in _SCRIPT.finditer(text):
            attrs = m.group(1)
            if "src=" not in attrs and "application/json" not in attrs and "csp_nonce" not in attrs:
                offences.append(f"{where}:{text[:m.start()].count(chr(10)) + 1}: inline <script>")
        for m in _STYLE.finditer(text):
            if "csp_nonce" not in m.group(1):
                offences.append(f"{where}:{text[:m.start()].count(chr(10)) + 1}: <style> without nonce")
        for m in _HANDLER.finditer(text):
            offences.append(f"{where}:{text[:m.start()].count(chr(10)) + 1}: {m.group(1)}= handler")
    assert not offences, "blocked by the Content-Security-Policy:\n" + "\n".join(offences)


# ---------------------------------------------------------------- error pages with DEBUG off


@pytest.mark.urls("pingan.core.tests.urls_boom")
def test_a_failing_view_answers_the_generic_page_and_the_log_has_its_request_id(caplog):
    assert settings.DEBUG is False
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    rid = response["X-Request-ID"]
    assert "系统暂时出错" in body and rid in body
    for leak in ("Traceback", "RuntimeError", "SELECT", "org_staff", "150824199005170012", "boom"):
        assert leak not in body, leak
    assert "Content-Security-Policy" in response
    logged = [r for r in caplog.records if r.name == "django.request" and r.levelno == logging.ERROR]
    assert logged and logged[-1].exc_info, "the 500 is logged with its trace (in the log, not the page)"
    assert logged[-1].request_id == rid
    console = next(h for h in logging.getLogger().handlers if any(
        type(f).__name__ == "RequestIdLogFilter" for f in h.filters))
    assert f"[rid={rid}]" in console.format(logged[-1])


def test_an_unknown_page_answers_the_generic_404(client):
    response = client.get("/no-such-page/150824199005170012/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "未找到" in body and "150824199005170012" not in body and "Page not found" not in body


def test_a_bad_host_answers_the_generic_400():
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    body = response.content.decode()
    assert "请求有误" in body and "evil.example.com" not in body and "DisallowedHost" not in body


def test_a_failed_csrf_check_answers_in_chinese(persona):
    client = Client(enforce_csrf_checks=True)
    client.force_login(persona("hq_officer"))
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "页面已过期" in body and "CSRF" not in body


def test_a_denied_page_answers_the_generic_403(client_as):
    response = client_as("grid_worker").get(reverse("core:audit_list"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()

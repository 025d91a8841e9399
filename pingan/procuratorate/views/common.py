"""What every page of the app shares: roles, running a service from a form, the record footer
(trail, attachments, shares), downloads, sharing, the index and the "shared with me" page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pingan.accounts.roles import Role
from pingan.core.audit import audit_record
from pingan.core.forms import errors_text
from pingan.core.models import AuditAction
from pingan.core.permissions import page
from pingan.core.scope import get_visible_or_404
from pingan.procuratorate import selectors, services
from pingan.procuratorate.forms import AttachmentForm, ShareForm
from pingan.procuratorate.models import record_models

# Who may open the app's pages at all. What each sees is cut by the scope: the procuratorate its
# jurisdiction, a liaison the suggestions served on its agency, other lines what was shared with them.
READERS = frozenset({Role.PROSECUTOR, Role.AGENCY_LIAISON, Role.POLICE_LEADER, Role.STATION_CHIEF,
                     Role.COMMUNITY_OFFICER, Role.GRID_WORKER, Role.JUSTICE_BUREAU, Role.JUDICIAL_OFFICE,
                     Role.LEGAL_LITERATE})
WRITERS = frozenset({Role.PROSECUTOR})
REPLIERS = frozenset({Role.PROSECUTOR, Role.AGENCY_LIAISON})
SHARED_READERS = READERS - WRITERS - {Role.AGENCY_LIAISON}

DETAIL_URLS = {"lead": "procuratorate:lead_detail", "suggestion": "procuratorate:suggestion_detail",
               "claim": "procuratorate:claim_detail", "fraud": "procuratorate:fraud_detail",
               "publicity": "procuratorate:publicity_list"}


def detail_url(record) -> str:
    key = record.record_type
    if key == "reply":
        return reverse("procuratorate:suggestion_detail", args=[record.suggestion_id])
    if key in ("support_suit", "aid_referral"):
        return reverse("procuratorate:claim_detail", args=[record.claim_id])
    if key == "publicity":
        return reverse(DETAIL_URLS[key])
    return reverse(DETAIL_URLS[key], args=[record.pk])


def error_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "；".join(m for msgs in exc.message_dict.values() for m in msgs)
    return "；".join(exc.messages)


def run(request, fn, *, success: str, **kwargs):
    """Call a service as the request's user; its refusal becomes an error message, not a 500."""
    try:
        result = fn(actor=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return None
    messages.success(request, success)
    return result if result is not None else True


def style(form):
    """Bootstrap classes on a FilterSet's form."""
    for field in form.fields.values():
        css = "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm"
        field.widget.attrs.setdefault("class", css)
    return form


def footer(request, record) -> dict:
    """The trail, attachments and (for the procuratorate) shares of a detail page."""
    user = request.user
    proc = selectors.is_procuratorate(user)
    return {
        "trail": selectors.trail(user, record),
        "files": selectors.attachments(user, record),
        "shares": selectors.shares(user, record),
        "record_type": record.record_type,
        "record_id": record.pk,
        "can_write": proc and user.role in WRITERS,
        "attach_form": AttachmentForm(),
        "share_form": ShareForm(agencies=selectors.admin_agencies(user)) if proc else None,
    }


def _record(request, record_type: str, pk: int):
    model = record_models().get(record_type)
    if model is None:
        raise Http404("记录不存在")
    return get_visible_or_404(model, request.user, pk=pk)


@page(WRITERS)
def index(request):
    return render(request, "procuratorate/index.html", {"o": selectors.overview(request.user)})


@page(SHARED_READERS | WRITERS)
def shared(request):
    return render(request, "procuratorate/shared.html", {"rows": [
        (share, record, detail_url(record)) for share, record in selectors.shared_with_me(request.user)]})


@page(READERS)
def attachment_download(request, pk: int):
    attachment = selectors.attachment_get(request.user, pk)
    audit_record(request.user, AuditAction.EXPORT, attachment, detail=f"下载附件：{attachment.name}")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("附件文件已不存在") from exc
    response = FileResponse(handle, as_attachment=True, filename=attachment.name)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@page(REPLIERS)
def attach(request, record_type: str, pk: int):
    record = _record(request, record_type, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        run(request, services.attachment_add, success="附件已上传", record=record, upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"], note=form.cleaned_data["note"])
    else:
        messages.error(request, errors_text(form))
    return redirect(detail_url(record))


@require_POST
@page(WRITERS)
def share(request, record_type: str, pk: int):
    record = _record(request, record_type, pk)
    form = ShareForm(request.POST, agencies=selectors.admin_agencies(request.user))
    if form.is_valid():
        run(request, services.share_create, success="已共享", record=record, line=form.cleaned_data["line"],
            agency=form.cleaned_data["agency"], note=form.cleaned_data["note"])
    else:
        messages.error(request, errors_text(form))
    return redirect(detail_url(record))


@require_POST
@page(WRITERS)
def share_revoke(request, pk: int):
    item = selectors.share_get(request.user, pk)
    run(request, services.share_revoke, success="已撤回共享", share=item)
    record = item.record
    return redirect(detail_url(record) if record is not None else reverse("procuratorate:index"))


def list_page(request, *, queryset, filterset_class, table_class, title: str, object_type: str,
              new_url: str = "", table_kwargs: dict | None = None):
    """A list: the FilterSet cuts the scoped queryset, the table shows a page of it or exports it all."""
    from django_tables2 import RequestConfig

    from pingan.core.exports import export_table

    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    table = table_class(filterset.qs, **(table_kwargs or {}))
    if request.GET.get("export") == "xlsx":
        return export_table(request, table, title=title, object_type=object_type)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "procuratorate/list.html", {"filter": filterset, "form": style(filterset.form),
                                                       "table": table, "title": title, "new_url": new_url})


def form_page(request, form, *, title: str, cancel_url: str, multipart: bool = False):
    return render(request, "procuratorate/form.html", {"form": form, "title": title, "cancel_url": cancel_url,
                                                       "multipart": multipart})


def posted(request, form_class, **kwargs):
    """The POSTed form if valid; otherwise its errors become a message and None is returned."""
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return None
    return form

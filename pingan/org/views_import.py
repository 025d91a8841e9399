"""台账 import page: choose what to import, download its template, upload the filled-in file."""

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from pingan.core.imports import max_upload_bytes, run_import, upload_limited
from pingan.core.permissions import page
from pingan.core.xlsx import xlsx_response
from pingan.org import importers


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="导入内容")
    file = forms.FileField(label="台账文件", allow_empty_file=True)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(i.kind, i.label) for i in kinds]


@page(importers.can_import)  # first: a role without import rights is refused before the body is read
@upload_limited
@require_http_methods(["GET", "POST"])
def import_page(request):
    kinds = importers.available(request.user)
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None, kinds=kinds,
                      initial={"kind": request.GET.get("kind") or (kinds[0].kind if kinds else "")})
    result = None
    if posted and form.is_valid():
        importer = importers.importer_for(request.user, form.cleaned_data["kind"])
        result = run_import(importer, request.user, form.cleaned_data["file"])
    return render(request, "org/import.html", {
        "form": form, "kinds": kinds, "result": result, "max_mb": max_upload_bytes() // (1024 * 1024) or 1,
    })


@page(importers.can_import)
def import_template(request, kind: str):
    importer = importers.importer_for(request.user, kind)
    if importer is None:
        raise Http404("没有这种导入模板")
    return xlsx_response(importer.template(request.user), f"{importer.label}导入模板.xlsx")

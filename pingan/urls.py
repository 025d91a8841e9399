from django.contrib import admin
from django.urls import include, path

from pingan.api import api

admin.site.site_header = "平安乡村 后台管理"
admin.site.site_title = "平安乡村"
admin.site.index_title = "后台管理"

urlpatterns = [
    path("", include("pingan.accounts.urls")),
    path("areas/", include("pingan.areas.urls")),
    path("org/", include("pingan.org.urls")),
    path("reports/", include("pingan.reports.urls")),
    path("incidents/", include("pingan.incidents.urls")),
    path("disputes/", include("pingan.disputes.urls")),
    path("legal/", include("pingan.legal.urls")),
    path("procuratorate/", include("pingan.procuratorate.urls")),
    path("cases/", include("pingan.cases.urls")),
    path("antifraud/", include("pingan.antifraud.urls")),
    path("ecology/", include("pingan.ecology.urls")),
    path("onestop/", include("pingan.onestop.urls")),
    path("jobs/", include("pingan.jobs.urls")),
    path("audit/", include("pingan.core.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

# The generic error pages (pingan/templates/400.html, 403.html, 404.html, 500.html): Chinese, no trace.
handler500 = "pingan.core.views.server_error"
# Under /api/ a JSON 404 (the OpenAPI document promises JSON errors); elsewhere Django's 404 page.
handler404 = "pingan.api.not_found"

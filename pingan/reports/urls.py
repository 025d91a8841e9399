from django.urls import path

from pingan.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:banner_code>/<int:year>/", views.report, name="report"),
    path("<str:banner_code>/<int:year>/<str:code>/", views.drilldown, name="drilldown"),
    path("<str:banner_code>/<int:year>/<str:code>/series.json", views.series, name="series"),
]

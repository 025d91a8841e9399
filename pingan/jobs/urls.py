from django.urls import path

from pingan.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/report/", views.report_job, name="report"),
    path("new/reanalyse/", views.reanalyse_job, name="reanalyse"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/row/", views.job_row, name="row"),
    path("<int:pk>/status/", views.job_status, name="status"),
    path("<int:pk>/download/", views.job_download, name="download"),
    path("<int:pk>/retry/", views.job_retry, name="retry"),
]

from django.urls import path

from pingan.org import views, views_import

app_name = "org"
urlpatterns = [
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/reveal/", views.staff_reveal, name="staff_reveal"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/<str:code>/", views.coverage, name="coverage_area"),
    path("import/", views_import.import_page, name="import"),
    path("import/template/<slug:kind>/", views_import.import_template, name="import_template"),
]

from django.urls import path

from pingan.antifraud import views, views_registrations

app_name = "antifraud"
urlpatterns = [
    path("", views.index, name="index"),
    path("publicity/", views.publicity_list, name="publicity_list"),
    path("publicity/new/", views.publicity_create, name="publicity_create"),
    path("publicity/<int:pk>/", views.publicity_detail, name="publicity_detail"),
    path("publicity/<int:pk>/edit/", views.publicity_edit, name="publicity_edit"),
    path("registrations/", views_registrations.registration_list, name="registration_list"),
    path("registrations/new/", views_registrations.registration_create, name="registration_create"),
    path("registrations/import/", views_registrations.registration_import, name="registration_import"),
    path("registrations/template/", views_registrations.registration_template, name="registration_template"),
    path("registrations/rates/", views_registrations.registration_rates, name="registration_rates"),
    path("registrations/<int:pk>/edit/", views_registrations.registration_edit, name="registration_edit"),
    path("registrations/<int:pk>/delete/", views_registrations.registration_delete, name="registration_delete"),
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/new/", views.warning_create, name="warning_create"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning_detail"),
    path("warnings/<int:pk>/reveal/", views.warning_reveal, name="warning_reveal"),
    path("dissuasions/", views.dissuasion_list, name="dissuasion_list"),
    path("dissuasions/new/", views.dissuasion_create, name="dissuasion_create"),
    path("dissuasions/<int:pk>/", views.dissuasion_detail, name="dissuasion_detail"),
    path("dissuasions/<int:pk>/reveal/", views.dissuasion_reveal, name="dissuasion_reveal"),
]

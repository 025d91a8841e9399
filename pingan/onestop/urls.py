from django.urls import path

from pingan.onestop import views

app_name = "onestop"
urlpatterns = [
    path("", views.station_list, name="station_list"),
    path("stations/<int:pk>/", views.station_detail, name="station_detail"),
    path("stations/<int:pk>/one-stop/", views.station_designate, name="station_designate"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/complete/", views.request_complete, name="request_complete"),
    path("requests/<int:pk>/reveal/", views.request_reveal, name="request_reveal"),
]

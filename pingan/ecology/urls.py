from django.urls import path

from pingan.ecology import views

app_name = "ecology"
urlpatterns = [
    path("", views.zone_list, name="zone_list"),
    path("zones/new/", views.zone_new, name="zone_new"),
    path("zones/<int:pk>/", views.zone_detail, name="zone_detail"),
    path("zones/<int:pk>/edit/", views.zone_edit, name="zone_edit"),
    path("zones/<int:pk>/keepers/", views.keeper_add, name="keeper_add"),
    path("zones/<int:pk>/keepers/reveal/", views.keepers_reveal, name="keepers_reveal"),
    path("zones/<int:pk>/cases/", views.case_link, name="case_link"),
    path("keepers/<int:pk>/end/", views.keeper_end, name="keeper_end"),
    path("patrols/", views.patrol_list, name="patrol_list"),
    path("patrols/new/", views.patrol_new, name="patrol_new"),
    path("patrols/<int:pk>/", views.patrol_detail, name="patrol_detail"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/new/", views.action_new, name="action_new"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("cases/", views.case_list, name="case_list"),
]

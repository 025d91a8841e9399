from django.urls import path

from pingan.cases import views, views_campaigns, views_operations

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/transition/", views.case_transition, name="transition"),
    path("<int:pk>/parties/", views.party_add, name="party_add"),
    path("<int:pk>/caught/", views.party_caught, name="caught"),
    path("<int:pk>/dispositions/", views.disposition_add, name="disposition_add"),
    path("<int:pk>/losses/", views.loss_add, name="loss_add"),
    path("<int:pk>/recoveries/", views.recovery_add, name="recovery_add"),
    path("<int:pk>/incidents/", views.incident_link, name="incident_link"),
    path("<int:pk>/reveal/", views.case_reveal, name="reveal"),
    path("campaigns/", views_campaigns.campaign_list, name="campaigns"),
    path("campaigns/new/", views_campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views_campaigns.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", views_campaigns.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/inspections/", views_campaigns.inspection_add, name="inspection_add"),
    path("campaigns/<int:pk>/seizures/", views_campaigns.seizure_add, name="seizure_add"),
    path("operations/", views_operations.operation_list, name="operations"),
    path("operations/new/", views_operations.operation_create, name="operation_create"),
    path("operations/<int:pk>/", views_operations.operation_detail, name="operation"),
    path("operations/<int:pk>/cases/", views_operations.operation_cases, name="operation_cases"),
    path("operations/<int:pk>/close/", views_operations.operation_close, name="operation_close"),
]

from django.urls import path

from pingan.legal.views import activities, coverage, persons, training

app_name = "legal"
urlpatterns = [
    path("", persons.index, name="index"),
    path("me/", persons.me, name="me"),
    path("persons/", persons.person_list, name="person_list"),
    path("persons/<int:pk>/", persons.person_detail, name="person_detail"),
    path("persons/<int:pk>/export/", persons.person_export, name="person_export"),
    path("persons/<int:pk>/edit/", persons.person_edit, name="person_edit"),
    path("persons/<int:pk>/check/", persons.person_check, name="person_check"),
    path("persons/<int:pk>/assess/", persons.person_assess, name="person_assess"),
    path("persons/<int:pk>/decide/", persons.person_decide, name="person_decide"),
    path("persons/<int:pk>/status/", persons.person_status, name="person_status"),
    path("persons/<int:pk>/evaluate/", persons.person_evaluate, name="person_evaluate"),
    path("villages/<str:code>/", persons.village_pool, name="village_pool"),
    path("villages/<str:code>/nominate/", persons.nominate, name="nominate"),
    path("villages/<str:code>/pair/", coverage.pair_set, name="pair_set"),
    path("quotas/", coverage.quotas, name="quotas"),
    path("coverage/", coverage.coverage, name="coverage"),
    path("coverage/<str:code>/", coverage.coverage, name="coverage_area"),
    path("pairs/", coverage.pairs, name="pairs"),
    path("pairs/<str:code>/", coverage.pairs, name="pairs_area"),
    path("training/", training.course_list, name="course_list"),
    path("training/new/", training.course_create, name="course_create"),
    path("training/hours/", training.hours, name="hours"),
    path("training/<int:pk>/", training.course_detail, name="course_detail"),
    path("training/<int:pk>/sessions/", training.session_create, name="session_create"),
    path("sessions/<int:pk>/", training.session_detail, name="session_detail"),
    path("sessions/<int:pk>/attendance/", training.attendance_add, name="attendance_add"),
    path("activities/", activities.activity_list, name="activity_list"),
    path("activities/new/", activities.activity_create, name="activity_create"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/attachment/", activities.activity_attachment, name="activity_attachment"),
    path("ledger/", activities.ledger, name="ledger"),
]

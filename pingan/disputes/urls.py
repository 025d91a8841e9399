from django.urls import path

from pingan.disputes import views, views_visits

app_name = "disputes"
urlpatterns = [
    path("", views.dispute_list, name="list"),
    path("new/", views.dispute_new, name="new"),
    path("<int:pk>/", views.dispute_detail, name="detail"),
    path("<int:pk>/assess/", views.dispute_assess, name="assess"),
    path("<int:pk>/regrade/", views.dispute_regrade, name="regrade"),
    path("<int:pk>/assign/", views.dispute_assign, name="assign"),
    path("<int:pk>/session/", views.dispute_session, name="session"),
    path("<int:pk>/follow-up/", views.dispute_follow_up, name="follow_up"),
    path("<int:pk>/close/", views.dispute_close, name="close"),
    path("<int:pk>/extend/", views.dispute_extend, name="extend"),
    path("<int:pk>/supervise/", views.dispute_supervise, name="supervise"),
    path("<int:pk>/supervisions/<int:sid>/answer/", views.supervision_answer, name="answer"),
    path("<int:pk>/parties/", views.dispute_add_party, name="add_party"),
    path("<int:pk>/parties/reveal/", views.parties_reveal, name="reveal"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("visits/", views_visits.visit_list, name="visit_list"),
    path("visits/new/", views_visits.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views_visits.visit_detail, name="visit_detail"),
    path("hazards/", views_visits.hazard_list, name="hazard_list"),
    path("hazards/new/", views_visits.hazard_new, name="hazard_new"),
    path("hazards/<int:pk>/", views_visits.hazard_detail, name="hazard_detail"),
    path("hazards/<int:pk>/rectify/", views_visits.hazard_rectify, name="hazard_rectify"),
]

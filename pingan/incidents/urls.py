from django.urls import path

from pingan.incidents import views, views_daily, views_repeats, views_tasks

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("import/", views.incident_import, name="import"),
    path("daily/", views_daily.daily, name="daily"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/reveal/", views.incident_reveal, name="reveal"),
    path("<int:pk>/transition/", views.incident_transition, name="transition"),
    path("<int:pk>/place/", views.incident_place, name="place"),
    path("repeats/", views_repeats.cluster_list, name="clusters"),
    path("repeats/<int:pk>/", views_repeats.cluster_detail, name="cluster"),
    path("repeats/<int:pk>/confirm/", views_repeats.cluster_confirm, name="cluster_confirm"),
    path("repeats/<int:pk>/split/", views_repeats.cluster_split, name="cluster_split"),
    path("tasks/", views_tasks.task_list, name="tasks"),
    path("tasks/new/", views_tasks.task_create, name="task_create"),
    path("tasks/<int:pk>/", views_tasks.task_detail, name="task"),
    path("tasks/<int:pk>/answer/", views_tasks.task_answer, name="task_answer"),
]

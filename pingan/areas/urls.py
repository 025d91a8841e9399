from django.urls import path

from pingan.areas import views

app_name = "areas"
urlpatterns = [
    path("", views.browse_root, name="browse"),
    path("<str:code>/", views.area_detail, name="detail"),
    path("<str:code>/grids/", views.grid_create, name="grid_create"),
    path("<str:code>/population/", views.population_update, name="population_update"),
]

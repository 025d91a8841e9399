"""A URLconf for the error-page tests: the project's routes plus a view that fails."""

from django.urls import path

from pingan.urls import urlpatterns as project_urlpatterns


def boom(request):
    # What a careless exception might carry: SQL and a citizen's ID number. None of it may reach the page.
    raise RuntimeError("SELECT * FROM org_staff WHERE id_number = '150824199005170012'")


urlpatterns = [path("boom/", boom), *project_urlpatterns]
handler500 = "pingan.core.views.server_error"

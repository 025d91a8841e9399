app_name = "procuratorate"
urlpatterns: list = []

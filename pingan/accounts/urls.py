from django.contrib.auth.views import LogoutView
from django.urls import path

from pingan.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/otp/", views.otp_verify, name="otp_verify"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("account/", views.profile, name="profile"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/otp/", views.otp_enrol, name="otp_enrol"),
    path("account/otp/remove/", views.otp_remove, name="otp_remove"),
]

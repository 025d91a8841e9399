from django.contrib.auth import views as auth_views
from django.shortcuts import render

from pingan.core.home import todo_items
from pingan.core.permissions import page


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@page()
def home(request):
    return render(request, "accounts/home.html", {"items": todo_items(request.user)})

from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from pingan.accounts import otp, services
from pingan.accounts.forms import CodeForm, EnrolForm, PasswordChangeForm, RemoveForm, audit_otp_failure
from pingan.accounts.passwords import password_expired, password_expires_at, password_set_by_administrator
from pingan.core.audit import audit_record
from pingan.core.home import todo_items
from pingan.core.models import AuditAction
from pingan.core.permissions import page


class LoginView(auth_views.LoginView):
    """Sign-in, step one. Wrong password, unknown name, disabled or locked account: one answer."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        from django.conf import settings

        return {**super().get_context_data(**kwargs), "failure_limit": settings.AXES_FAILURE_LIMIT,
                "lock_minutes": settings.PINGAN_LOGIN_LOCK_MINUTES}


def signed_in(view):
    """Pages of one's own account: any signed-in user (the middleware decides which of them a
    session that has not finished signing in may open)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def _next(request, default: str = "accounts:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse(default)


@page()
def home(request):
    return render(request, "accounts/home.html", {"items": todo_items(request.user)})


@signed_in
def otp_verify(request):
    """Sign-in, step two: the code from the user's authenticator."""
    user = request.user
    if user.is_verified():
        return redirect(_next(request))
    device = otp.confirmed_device(user)
    if device is None:
        if otp.otp_required(user):
            return redirect_to_login(_next(request), reverse("accounts:otp_enrol"))
        request.session[otp.OTP_KEY] = False  # the device was reset by the security administrator
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, reason = otp.check_code(device, form.cleaned_data["code"])
        if ok:
            otp.mark_verified(request, device)
            audit_record(user, AuditAction.LOGIN, device, object_repr=f"{user.get_username()} 的动态口令设备",
                         detail="动态口令验证通过")
            return redirect(_next(request))
        audit_otp_failure(user, device, "动态口令错误（登录第二步）")
        form.add_error("code", reason)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request)})


@signed_in
def otp_enrol(request):
    """Bind an authenticator: forced for the roles that require it (right after the password),
    optional for the others (then with the current password)."""
    user = request.user
    if otp.confirmed_device(user) is not None:
        return render(request, "accounts/otp_enrol.html", {"enrolled": True})
    forced = otp.otp_required(user)
    device = otp.pending_device(user)
    form = EnrolForm(request, device, request.POST or None, ask_password=not forced)
    if request.method == "POST" and form.is_valid():
        services.otp_confirm(request, device)
        messages.success(request, "动态口令已绑定。以后登录时，输入密码后还要输入验证器上的6位数字。")
        return redirect(_next(request, "accounts:profile"))
    uri = device.config_url
    return render(request, "accounts/otp_enrol.html", {
        "form": form, "forced": forced, "secret": otp.secret_grouped(device), "uri": uri, "qr": otp.qr_svg(uri),
        "next": _next(request, "accounts:profile")})


@signed_in
def otp_remove(request):
    """Stop using (or, for the roles that require one, replace) the authenticator."""
    user = request.user
    device = otp.confirmed_device(user)
    required = otp.otp_required(user)
    form = RemoveForm(request, request.POST or None) if device else None
    if request.method == "POST" and form is not None and form.is_valid():
        services.otp_remove(actor=user, device=device, detail="本人更换动态口令设备" if required else "本人停用动态口令")
        if required:
            messages.info(request, "原验证器已解除绑定，请立即绑定新的验证器。")
            return redirect("accounts:otp_enrol")
        request.session[otp.OTP_KEY] = False
        messages.success(request, "已停用动态口令，登录时只需输入密码。")
        return redirect("accounts:profile")
    return render(request, "accounts/otp_remove.html", {"form": form, "device": device, "required": required})


@signed_in
def password_change(request):
    user = request.user
    reset = password_set_by_administrator(user)
    expired = password_expired(user)
    form = PasswordChangeForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(request, user, form.cleaned_data["new_password1"])
        messages.success(request, "密码已修改。其他设备上的登录已失效。")
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html",
                  {"form": form, "expired": expired, "reset": reset, "forced": reset or expired})


@signed_in
def profile(request):
    user = request.user
    return render(request, "accounts/profile.html", {
        "device": otp.confirmed_device(user), "otp_required": otp.otp_required(user),
        "expires_at": password_expires_at(user)})

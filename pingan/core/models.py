from __future__ import annotations

from django.conf import settings
from django.db import models, router
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计日志只能追加，不能修改")

    def delete(self):
        raise PermissionError("审计日志只能追加，不能删除")

    def bulk_create(self, *args, **kwargs):
        raise PermissionError("审计日志逐条追加（每条都进入哈希链），不能批量插入")

    def bulk_update(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能修改")


class AuditAction(models.TextChoices):
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    IMPORT = "import", "导入"
    EXPORT = "export", "导出"
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGOUT = "logout", "退出"
    DENIED = "denied", "拒绝访问"
    VIEW_PII = "view_pii", "查看完整个人信息"
    TOKEN = "token", "签发令牌"
    PURGE = "purge", "清理过期审计日志"


class AuditResult(models.TextChoices):
    OK = "ok", "成功"
    FAILED = "failed", "失败"
    DENIED = "denied", "拒绝"


def _now():
    return timezone.now()  # looked up at call time, so tests can move the clock


class AuditLog(models.Model):
    """Append-only: one row per create, update, delete, import, export, login or denial.

    Rows form a hash chain (``pingan.core.auditchain``): ``seq`` numbers them without gaps,
    ``prev_hash`` is the previous row's ``hash``, ``hash`` is sha256 over the row's canonical JSON.
    ``pingan audit verify`` recomputes it; on PostgreSQL a trigger refuses UPDATE, DELETE and
    TRUNCATE (migration 0006), except the purge of rows past retention by ``pingan audit purge``.
    """

    at = models.DateTimeField("时间(UTC)", default=_now, editable=False, db_index=True)
    # DO_NOTHING, not SET_NULL: deleting a user must not rewrite (and so break) their audit rows;
    # actor_login keeps who it was.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.DO_NOTHING,
        related_name="+", db_constraint=False,
    )
    actor_login = models.CharField("登录名", max_length=150, blank=True, db_index=True)
    actor_role = models.CharField("角色", max_length=40, blank=True)
    action = models.CharField("操作", max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField("对象类型", max_length=80, blank=True, db_index=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    request_id = models.CharField("请求ID", max_length=64, blank=True, db_index=True)
    ip = models.CharField("IP", max_length=64, blank=True)
    result = models.CharField("结果", max_length=10, choices=AuditResult.choices, default=AuditResult.OK)
    detail = models.TextField("说明", blank=True)
    seq = models.BigIntegerField("链序号", unique=True, editable=False)
    prev_hash = models.CharField("前序哈希", max_length=64, editable=False)
    hash = models.CharField("哈希", max_length=64, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        base_manager_name = "objects"  # Django's internal paths (cascades) go through the guard too

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_login} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("审计日志只能追加，不能修改")
        from pingan.core.auditchain import append

        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        append(self, lambda: super(AuditLog, self).save(*args, **kwargs), using=using)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能删除")

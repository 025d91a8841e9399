import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import pingan.core.models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_alter_auditlog_options'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='auditlog',
            name='seq',
            field=models.BigIntegerField(editable=False, null=True, verbose_name='链序号'),
        ),
        migrations.AddField(
            model_name='auditlog',
            name='prev_hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='前序哈希'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='auditlog',
            name='hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='哈希'),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='auditlog',
            name='at',
            field=models.DateTimeField(db_index=True, default=pingan.core.models._now, editable=False, verbose_name='时间(UTC)'),
        ),
        migrations.AlterField(
            model_name='auditlog',
            name='actor',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='auditlog',
            name='action',
            field=models.CharField(choices=[('create', '新增'), ('update', '修改'), ('delete', '删除'), ('import', '导入'), ('export', '导出'), ('login', '登录'), ('login_failed', '登录失败'), ('logout', '退出'), ('denied', '拒绝访问'), ('view_pii', '查看完整个人信息'), ('token', '签发令牌'), ('purge', '清理过期审计日志')], db_index=True, max_length=20, verbose_name='操作'),
        ),
    ]

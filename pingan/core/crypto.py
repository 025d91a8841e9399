"""Personal data at rest: ID numbers and phones encrypted, with a keyed hash for exact look-up.

Library: ``cryptography``'s Fernet (AES-128-CBC + HMAC-SHA256, random IV) through ``MultiFernet``, so
that several keys can be live at once during a rotation. Keys come from the environment
(``PINGAN_FIELD_KEYS``, comma-separated, newest first — see pingan/settings.py; required in production,
a fixed insecure development key in the embedded demo/tests only).

How a model uses it::

    id_number = EncryptedCharField("身份证号码", max_length=18, kind=ID_NUMBER)
    id_number_hash = LookupHashField(source="id_number")
    phone = EncryptedCharField("手机号码", max_length=20, blank=True, kind=PHONE)
    phone_hash = LookupHashField(source="phone")
    phone_tail = TailField(source="phone")      # only where a page searches by the last digits

* The attribute holds the plaintext; the column holds the Fernet token ("" and NULL stay as they are,
  so blank checks keep working). ``max_length`` is the plaintext limit (forms, validation); the column
  is wider for the token.
* ``kind`` says how a value is compared: ``ID_NUMBER``, ``PHONE``, ``CODE`` (a 统一社会信用代码 or other
  identifier: spaces dropped, full-width folded, upper-case) — or ``SECRET`` (a TOTP key: encrypted,
  never hashed nor looked up).
* ``<field>_hash`` is HMAC-SHA256 (key ``PINGAN_HASH_KEY``) of the value normalised the way the domain
  compares it (ID numbers: full-width folded, upper-case X; phones: digits only, ``normalise_phone``). It
  is kept in step by the field's descriptor whenever the attribute is set (construction, load, assignment),
  so ``save()``, ``bulk_create`` and ``bulk_update`` all write it. Uniqueness and de-duplication use it.
* ``filter(id_number=x)`` and ``filter(phone__in=[...])`` are rewritten to compare the hash column, so
  exact look-ups keep reading naturally; any other look-up (``icontains``, ``endswith``, ordering by the
  value) cannot work on ciphertext and raises ``FieldError`` instead of silently finding nothing.
* ``<field>_tail`` (last four characters) exists only where a registry searches "by the last digits":
  those four digits are shown in the masked form anyway (``150824**********1234``, ``138****1234``),
  so storing them in the clear discloses nothing the masked pages do not.

Rotation: put the new key first in ``PINGAN_FIELD_KEYS``, run ``pingan rotate_keys`` (re-encrypts every
token not under the newest key, in batches, audited, idempotent), then drop the old key.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import unicodedata

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, In, IsNull, Lookup
from django.db.models.query_utils import DeferredAttribute

ID_NUMBER = "id_number"
PHONE = "phone"
CODE = "code"  # an identifier compared as typed, case- and width-insensitive: 统一社会信用代码 or an ID number
SECRET = "secret"  # never looked up or hashed: a key (TOTP) that only its owner's code may read
KINDS = {ID_NUMBER, PHONE, CODE, SECRET}
TOKEN_PREFIX = "gAAAAA"  # every Fernet token (version byte 0x80 + timestamp) starts so in base64
COLUMN_LENGTH = 255  # a 20-character plaintext makes a 120-character token; room for non-ASCII input


# -- keys -----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    if not keys:
        raise ImproperlyConfigured("PINGAN_FIELD_KEYS is empty")
    try:
        fernets = [Fernet(key.encode()) for key in keys]
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "PINGAN_FIELD_KEYS: every key must be 32 url-safe base64-encoded bytes (Fernet.generate_key())"
        ) from exc
    return MultiFernet(fernets), fernets[0]


def _keys() -> tuple[MultiFernet, Fernet]:
    return _fernets(tuple(settings.PINGAN_FIELD_KEYS))


def encrypt(plaintext: str) -> str:
    return _keys()[0].encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _keys()[0].decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "加密字段无法解密：PINGAN_FIELD_KEYS 中没有加密它的密钥 (no configured key decrypts this value)"
        ) from exc


def is_token(value: str | None) -> bool:
    return bool(value) and value.startswith(TOKEN_PREFIX)


def under_newest_key(token: str) -> bool:
    """True if the token decrypts with the newest key alone (nothing to rotate)."""
    try:
        _keys()[1].decrypt(token.encode())
    except InvalidToken:
        return False
    return True


# -- keyed hash -----------------------------------------------------------------------------------


def normalise(value: str, kind: str) -> str:
    if kind == ID_NUMBER:
        from pingan.core.idcard import normalise as normalise_id

        return normalise_id(value)
    if kind == CODE:
        return "".join(unicodedata.normalize("NFKC", value).split()).upper()
    if kind == SECRET:
        raise ValueError("a secret is never normalised, hashed or looked up")
    from pingan.incidents.repeats.normalise import normalise_phone

    return normalise_phone(value)


def lookup_hash(value: str | None, kind: str) -> str:
    """The hash column's value for a plaintext: HMAC-SHA256 of the normalised value; "" for a blank one
    (and for a "phone" of fewer than five digits, which ``normalise_phone`` drops, as repeat matching did)."""
    if value is None:
        return ""
    normalised = normalise(str(value), kind)
    if not normalised:
        return ""
    return hmac.new(settings.PINGAN_HASH_KEY.encode(), normalised.encode(), hashlib.sha256).hexdigest()


def phone_hash(value: str | None) -> str:
    return lookup_hash(value, PHONE)


def id_hash(value: str | None) -> str:
    return lookup_hash(value, ID_NUMBER)


# -- fields ---------------------------------------------------------------------------------------


# A companion column whose value must be recomputed from the plaintext before it is read or saved.
# A string (not an object()) so that a pickled or copied instance keeps the mark.
STALE = "\x00stale"


class _EncryptedAttribute(DeferredAttribute):
    """Keeps ``<name>_hash`` and ``<name>_tail`` in step with the plaintext whenever it is set: they
    are marked stale and computed from the plaintext when read or saved. Not computed eagerly: every
    row loaded would pay an HMAC per field (a list page of 50 incidents 100 of them, the home page's
    coverage ~370) for columns the page never reads."""

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value
        for companion in self.field.companions(type(instance)):
            instance.__dict__[companion.attname] = STALE


class _CompanionAttribute(DeferredAttribute):
    """A hash/tail column follows its source whenever the source's plaintext is at hand, whatever the
    order in which Model.__init__ or from_db set the attributes."""

    def __set__(self, instance, value):
        source = self.field.source_field()
        instance.__dict__[self.field.attname] = STALE if source.attname in instance.__dict__ else value

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        if instance.__dict__.get(self.field.attname) == STALE:
            plaintext = instance.__dict__[self.field.source_field().attname]
            instance.__dict__[self.field.attname] = self.field.value_for(plaintext)
        return super().__get__(instance, cls)


class _Companion:
    """What LookupHashField and TailField share: the source field, and a pre_save that recomputes
    the value from the plaintext whenever the plaintext is at hand."""

    def source_field(self):
        return self.model._meta.get_field(self.source)

    def pre_save(self, model_instance, add):
        source = self.source_field()
        if source.attname in model_instance.__dict__:
            value = model_instance.__dict__[self.attname] = self.value_for(model_instance.__dict__[source.attname])
            return value
        return super().pre_save(model_instance, add)


class EncryptedCharField(models.CharField):
    descriptor_class = _EncryptedAttribute

    def __init__(self, *args, kind: str = PHONE, **kwargs):
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {sorted(KINDS)}")
        if kwargs.get("unique") or kwargs.get("db_index"):
            raise ValueError("ciphertext is not comparable: put unique/db_index on the LookupHashField")
        self.kind = kind
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def db_type_parameters(self, connection):
        return {**super().db_type_parameters(connection), "max_length": COLUMN_LENGTH}

    def companions(self, model) -> list:
        cache = self.__dict__.setdefault("_companions", {})
        if model not in cache:
            cache[model] = [
                f for f in model._meta.concrete_fields
                if isinstance(f, LookupHashField | TailField) and f.source == self.name
            ]
        return cache[model]

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "" or not is_token(value):
            return value  # blank, or a row written before the encrypting migration ran
        return decrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EncryptedExact
        if lookup_name == "in":
            return EncryptedIn
        if lookup_name == "isnull":
            return IsNull
        raise FieldError(
            f"加密字段 {self.name} 不支持 {lookup_name} 查询：精确查找走 {self.name}_hash，按尾号查找走 {self.name}_tail"
        )

    def get_transform(self, lookup_name):
        return None


class LookupHashField(_Companion, models.CharField):
    """HMAC of the ``source`` field's normalised plaintext (see module docstring)."""

    descriptor_class = _CompanionAttribute

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        if not kwargs.get("unique"):
            kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["db_index"] = self.db_index  # explicit: __init__'s default differs from Field's
        return name, path, args, kwargs

    def value_for(self, plaintext):
        if plaintext is None and self.null:
            return None
        return lookup_hash(plaintext, self.source_field().kind)


class TailField(_Companion, models.CharField):
    """Last four characters of the ``source`` plaintext, for "search by the last digits"."""

    descriptor_class = _CompanionAttribute

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 4)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["db_index"] = self.db_index  # explicit: __init__'s default differs from Field's
        return name, path, args, kwargs

    def value_for(self, plaintext):
        if not plaintext:
            return ""
        return normalise(str(plaintext), self.source_field().kind)[-4:]


# -- look-ups rewritten to the hash column --------------------------------------------------------


def _hash_column(lhs):
    if not isinstance(lhs, Col) or not isinstance(lhs.target, EncryptedCharField):
        raise FieldError("加密字段只能按字段本身做精确查找")
    field = lhs.target
    companions = [f for f in field.companions(field.model) if isinstance(f, LookupHashField)]
    if not companions:
        raise FieldError(f"{field.model._meta.label}.{field.name} 没有 {field.name}_hash 列，不能查找")
    return Col(lhs.alias, companions[0]), field.kind


def _plain(value):
    if hasattr(value, "resolve_expression"):
        raise FieldError("加密字段不能与表达式或子查询比较，请比较 _hash 列")
    return value


class EncryptedExact(Lookup):
    lookup_name = "exact"
    prepare_rhs = False

    def get_prep_lookup(self):
        return _plain(self.rhs)

    def as_sql(self, compiler, connection):
        column, kind = _hash_column(self.lhs)
        return compiler.compile(Exact(column, lookup_hash(self.rhs, kind)))


class EncryptedIn(Lookup):
    lookup_name = "in"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [_plain(v) for v in self.rhs]

    def as_sql(self, compiler, connection):
        column, kind = _hash_column(self.lhs)
        return compiler.compile(In(column, sorted({lookup_hash(v, kind) for v in self.rhs if v is not None})))


# -- model discovery, data migrations, rotation ---------------------------------------------------


def encrypted_fields(model) -> list[EncryptedCharField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]


def encrypted_models() -> list:
    return [m for m in django_apps.get_models() if encrypted_fields(m) and not m._meta.proxy]


def encrypt_existing(apps, schema_editor=None, *, app_label: str, model_name: str, batch: int = 2000) -> None:
    """RunPython body for the migration that turns plaintext columns into encrypted ones.

    Reading goes through the field (plaintext passes through unchanged), saving re-encrypts it and the
    descriptor fills the hash/tail columns; batched by primary key so memory stays flat. On
    PostgreSQL a batch is one ``UPDATE … FROM (VALUES …)``: Django's ``bulk_update`` writes a CASE
    with a branch per row, which PostgreSQL evaluates for every row (104,576 incidents of the benchmark
    database: 159 s with bulk_update, 30 s this way)."""
    model = apps.get_model(app_label, model_name)
    fields = [f for f in model._meta.concrete_fields
              if isinstance(f, EncryptedCharField | LookupHashField | TailField)]
    connection = schema_editor.connection if schema_editor is not None else None
    last = None
    while True:
        qs = model._base_manager.order_by("pk").only("pk", *(f.attname for f in fields))
        if last is not None:
            qs = qs.filter(pk__gt=last)
        rows = list(qs[:batch])
        if not rows:
            break
        if connection is not None and connection.vendor == "postgresql":
            _update_from_values(connection, model, fields, rows)
        else:
            model._base_manager.bulk_update(rows, [f.attname for f in fields])
        last = rows[-1].pk
    settle_deferred_constraints(schema_editor)


def _update_from_values(connection, model, fields, rows) -> None:
    qn = connection.ops.quote_name
    table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
    names = ", ".join(f"c{i}" for i in range(len(fields)))
    sets = ", ".join(f"{qn(f.column)} = v.c{i}" for i, f in enumerate(fields))
    row_sql = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    params = []
    for obj in rows:
        params.append(obj.pk)
        params.extend(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([row_sql] * len(rows))}) "
                       f"AS v(id, {names}) WHERE {table}.{pk} = v.id", params)


def settle_deferred_constraints(schema_editor) -> None:
    """Checks the deferred foreign keys of the rows a data migration just updated, now.

    On PostgreSQL Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, so every updated row leaves
    a pending trigger event until COMMIT; the CREATE INDEX that the same migration runs at its end
    (the schema editor defers index creation) then fails with "cannot CREATE INDEX … because it has
    pending trigger events". Only tables with rows hit this, i.e. every real upgrade, never a test
    database built empty."""
    if schema_editor is not None and schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def rotate_model(model, batch: int = 500) -> int:
    """Re-encrypts every token of ``model`` not under the newest key; returns the number of rows changed."""
    from django.db import connections, router

    fields = encrypted_fields(model)
    db = router.db_for_write(model)
    connection = connections[db]
    qn = connection.ops.quote_name
    pk = model._meta.pk
    columns = ", ".join(qn(f.column) for f in fields)
    changed = 0
    last = None
    while True:
        where = f" WHERE {qn(pk.column)} > %s" if last is not None else ""
        sql = (f"SELECT {qn(pk.column)}, {columns} FROM {qn(model._meta.db_table)}{where} "
               f"ORDER BY {qn(pk.column)} LIMIT {int(batch)}")
        with connection.cursor() as cursor:
            cursor.execute(sql, [last] if last is not None else [])
            rows = cursor.fetchall()
        if not rows:
            return changed
        for row in rows:
            stale = {f.attname: decrypt(token) for f, token in zip(fields, row[1:], strict=True)
                     if is_token(token) and not under_newest_key(token)}
            # plaintext left over (a row written around the field) is encrypted too
            stale.update({f.attname: token for f, token in zip(fields, row[1:], strict=True)
                          if token and not is_token(token)})
            for f in fields:
                if f.attname in stale:
                    stale.update({c.attname: c.value_for(stale[f.attname]) for c in f.companions(model)})
            if stale:
                model._base_manager.using(db).filter(pk=row[0]).update(**stale)
                changed += 1
        last = rows[-1][0]

"""Personal data at rest: encrypted text fields, keyed digests for lookups, key rotation.

Values are encrypted with Fernet (AES-128-CBC with an HMAC-SHA256) under `PERSONAL_DATA_KEYS`:
the first key encrypts, every key decrypts, so a new key goes in front, `manage.py
rotate_personal_data_keys` re-encrypts every row under it, and the old key is then dropped.
Ciphertexts are random, so equal values cannot be found by comparing columns: what is looked
up (a subscriber's address, a reporter's telephone) has a `DigestField` beside it, an HMAC
under `PERSONAL_DATA_HASH_KEY`. That key does not rotate: every digest would change with it.
Both default to keys derived from SECRET_KEY, for development and tests; production refuses
to start without them (portal/settings/production.py). See docs/decisions/0025.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from collections.abc import Callable, Iterator

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models, transaction
from django.db.models.functions import Cast


def _derived(purpose: str) -> bytes:
    return hashlib.sha256(f"anxin.personal-data.{purpose}:{settings.SECRET_KEY}".encode()).digest()


def _keys() -> tuple[str, ...]:
    return tuple(settings.PERSONAL_DATA_KEYS) or (
        base64.urlsafe_b64encode(_derived("fernet")).decode(),
    )


@functools.lru_cache(maxsize=4)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "PERSONAL_DATA_KEYS must be Fernet keys (32 url-safe base64-encoded bytes)"
        ) from error


def cipher() -> MultiFernet:
    return _multi_fernet(_keys())


def newest_key_cipher() -> Fernet:
    """The first key alone: what rotation checks a row against."""
    return Fernet(_keys()[0])


def encrypt(value: str) -> str:
    return cipher().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    """The plain text; a value no key opens is an error, never passed on as if it were data."""
    if not token:
        return ""
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A personal-data value cannot be decrypted with any key in PERSONAL_DATA_KEYS"
        ) from error


def normalize_email(value: str) -> str:
    return value.strip().lower()


def normalize_phone(value: str) -> str:
    """Digits only, without a leading 86: 138-1234 5678 and +86 13812345678 are one number."""
    digits = "".join(c for c in value if c.isdigit())
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


def digest(value: str) -> str:
    """The keyed hash that stands for a normalized value in lookups; empty stays empty."""
    if not value:
        return ""
    key = settings.PERSONAL_DATA_HASH_KEY.encode() or _derived("hmac")
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class BlankOnlyExact(models.lookups.Exact):
    """`field=""` (emptiness) works on an encrypted field; any other value would be compared
    with a random ciphertext and silently match nothing, so it is refused."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.target.name} is encrypted: look it up through its DigestField"
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """Text stored encrypted. Queries may test only emptiness (`field=""`, `isnull`): look
    values up through a `DigestField`; any other lookup is an error. Blank stays blank, so
    "has a telephone" remains countable."""

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return BlankOnlyExact
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def from_db_value(self, value, expression, connection):
        return value if value is None else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if value is None else encrypt(value)


class DigestField(models.CharField):
    """The HMAC of another field's normalized value, written on every save: a lookup column
    (`digest_of(value)`), never a value to show."""

    def __init__(self, *args, source: str = "", normalize: Callable[[str], str] = str, **kwargs):
        self.source = source
        self.normalize = normalize
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, {**kwargs, "source": self.source}

    def pre_save(self, model_instance, add):
        value = self.digest_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value

    def digest_of(self, value: str) -> str:
        return digest(self.normalize(value or ""))


def encrypt_columns(connection, table: str, columns: list[str], digests: dict[str, tuple]) -> None:
    """For data migrations: encrypt `columns` of every row of `table` written in clear, and
    fill `digests` ({digest column: (source column, normalize)}). Raw SQL, because the model
    field would try to decrypt the clear text."""
    _rewrite(connection, table, columns, encrypt, digests)


def decrypt_columns(connection, table: str, columns: list[str]) -> None:
    """The reverse of `encrypt_columns` (digests are dropped with their columns)."""
    _rewrite(connection, table, columns, decrypt, {})


def encrypted_models() -> list[tuple[type[models.Model], list[str]]]:
    """Every installed model with encrypted fields, and those fields' names."""
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.fields if isinstance(f, EncryptedTextField)]
        if names:
            found.append((model, names))
    return found


def rotate(model: type[models.Model], names: list[str], chunk: int) -> Iterator[tuple[int, int]]:
    """Re-encrypt under the first key the rows of `model` that are under another one, `chunk`
    rows per transaction; yields (rows read, rows rewritten) per chunk. Rows already under the
    first key are left alone, so an interrupted rotation resumes where it stopped."""
    newest = newest_key_cipher()

    def stale(raw: str | None) -> bool:
        if not raw:
            return False
        try:
            newest.decrypt(raw.encode())
        except InvalidToken:
            return True
        return False

    raw_columns = {f"raw_{name}": Cast(name, models.TextField()) for name in names}
    rows = model._base_manager.order_by("pk").only("pk", *names).annotate(**raw_columns)
    last = None
    while True:
        batch = list((rows if last is None else rows.filter(pk__gt=last))[:chunk])
        if not batch:
            return
        last = batch[-1].pk
        rewrite = [row for row in batch if any(stale(getattr(row, f"raw_{n}")) for n in names)]
        with transaction.atomic():
            model._base_manager.bulk_update(rewrite, names)
        yield len(batch), len(rewrite)


def _rewrite(connection, table, columns, transform, digests) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(map(quote, columns))} FROM {quote(table)}")  # noqa: S608
        rows = cursor.fetchall()
        targets = [*columns, *digests]
        assignments = ", ".join(f"{quote(name)} = %s" for name in targets)
        updates = []
        for pk, *values in rows:
            by_column = dict(zip(columns, values, strict=True))
            new = [transform(value or "") for value in values]
            new += [digest(normalize(by_column[src] or "")) for src, normalize in digests.values()]
            updates.append([*new, pk])
        cursor.executemany(
            f"UPDATE {quote(table)} SET {assignments} WHERE id = %s",  # noqa: S608
            updates,
        )

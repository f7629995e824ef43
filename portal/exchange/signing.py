"""Signatures on exchange feeds, and the encryption of shared secrets at rest.

A feed's signature covers the exact bytes of the response body and travels in one header,

    Anxin-Signature: alg=ed25519, kid=<16 hex>, sig=<base64>

so a receiver verifies what it received before parsing it, and no JSON canonicalisation has
to agree between two authorities' software (docs/decisions/0007-exchange-signed-feeds.md).
The algorithm is the one configured for the partner, never the one the header names.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

ED25519 = "ed25519"
HMAC_SHA256 = "hmac-sha256"
HEADER = "Anxin-Signature"
MAX_KEYS = 3
MIN_SECRET_LENGTH = 32
_MAX_HEADER = 300


class SignatureError(Exception):
    """The signature is missing, malformed, made with another key or does not match."""


@dataclass(frozen=True)
class Signature:
    alg: str
    kid: str
    sig: bytes


def b64decode(text: str) -> bytes:
    """Strict standard base64 (padding required, no stray characters)."""
    return base64.b64decode(text.strip(), validate=True)


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """A short fingerprint to name a key in headers and to confirm it by telephone."""
    return hashlib.sha256(raw_public(key)).hexdigest()[:16]


def load_public_key(text: str) -> Ed25519PublicKey:
    try:
        raw = b64decode(text)
    except (binascii.Error, ValueError) as error:
        raise ValueError(_("A public key must be standard base64.")) from error
    if len(raw) != 32:
        raise ValueError(_("An Ed25519 public key is 32 bytes, not %(n)d.") % {"n": len(raw)})
    return Ed25519PublicKey.from_public_bytes(raw)


def parse_public_keys(text: str) -> dict[str, Ed25519PublicKey]:
    """The keys of a partner (one base64 key a line) by key id."""
    keys = [load_public_key(line) for line in text.splitlines() if line.strip()]
    if len(keys) > MAX_KEYS:
        raise ValueError(_("At most %(n)d keys at a time.") % {"n": MAX_KEYS})
    return {key_id(key): key for key in keys}


def signing_key() -> Ed25519PrivateKey:
    """Our private key: EXCHANGE_SIGNING_KEY (base64 of the 32-byte seed), or, where
    production.py allows it to be empty (development and tests), one derived from SECRET_KEY
    so `make run` works and the key stays the same across restarts."""
    configured = settings.EXCHANGE_SIGNING_KEY
    seed = (
        b64decode(configured)
        if configured
        else salted_hmac("portal.exchange.signing-key", "ed25519", algorithm="sha256").digest()
    )
    return Ed25519PrivateKey.from_private_bytes(seed)


def our_public_keys() -> list[tuple[str, Ed25519PublicKey]]:
    """The current key first, then earlier ones partners may still hold while we rotate."""
    current = signing_key().public_key()
    previous = [load_public_key(k) for k in settings.EXCHANGE_PREVIOUS_PUBLIC_KEYS if k.strip()]
    return [(key_id(key), key) for key in [current, *previous]]


def sign_ed25519(body: bytes) -> str:
    key = signing_key()
    signature = key.sign(body)
    return _header(ED25519, key_id(key.public_key()), signature)


def sign_hmac(body: bytes, secret: bytes, kid: str) -> str:
    return _header(HMAC_SHA256, kid, hmac.new(secret, body, hashlib.sha256).digest())


def _header(alg: str, kid: str, sig: bytes) -> str:
    return f"alg={alg}, kid={kid}, sig={base64.b64encode(sig).decode()}"


def parse_header(value: str | None) -> Signature:
    if not value:
        raise SignatureError(_("The response has no %(header)s header.") % {"header": HEADER})
    if len(value) > _MAX_HEADER:
        raise SignatureError(_("The signature header is too long."))
    fields = {}
    for part in value.split(","):
        name, sep, field = part.strip().partition("=")
        if not sep or name in fields:
            raise SignatureError(_("The signature header is malformed."))
        fields[name] = field
    if set(fields) != {"alg", "kid", "sig"}:
        raise SignatureError(_("The signature header must have alg, kid and sig."))
    try:
        sig = b64decode(fields["sig"])
    except (binascii.Error, ValueError) as error:
        raise SignatureError(_("The signature is not base64.")) from error
    return Signature(fields["alg"], fields["kid"], sig)


def verify(body: bytes, header: str | None, partner) -> None:
    """Check `body` against the header with the partner's own algorithm and key; raise
    SignatureError otherwise. Called before the body is parsed."""
    signature = parse_header(header)
    if signature.alg != partner.algorithm:
        raise SignatureError(
            _("Signed with %(alg)s; this partner is configured for %(expected)s.")
            % {"alg": signature.alg, "expected": partner.algorithm}
        )
    if partner.algorithm == HMAC_SHA256:
        expected = hmac.new(partner.secret(), body, hashlib.sha256).digest()
        if not hmac.compare_digest(expected, signature.sig):
            raise SignatureError(_("The signature does not match the body."))
        return
    key = parse_public_keys(partner.public_keys).get(signature.kid)
    if key is None:
        raise SignatureError(_("Unknown key id %(kid)s.") % {"kid": signature.kid[:40]})
    try:
        key.verify(signature.sig, body)
    except InvalidSignature as error:
        raise SignatureError(_("The signature does not match the body.")) from error


# --- Shared secrets at rest ------------------------------------------------------------------


def _fernet() -> Fernet:
    """EXCHANGE_SECRETS_KEY, else SECRET_KEY, stretched to a Fernet key: a database dump alone
    does not reveal the partners' secrets."""
    material = (settings.EXCHANGE_SECRETS_KEY or settings.SECRET_KEY).encode()
    digest = hashlib.sha256(b"portal.exchange.secrets:" + material).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt_secret(ciphertext: str) -> bytes:
    if not ciphertext:
        raise SignatureError(_("No shared secret is set for this partner."))
    try:
        return _fernet().decrypt(ciphertext.encode())
    except InvalidToken as error:
        raise SignatureError(
            _("The shared secret cannot be decrypted (was the key changed?); enter it again.")
        ) from error

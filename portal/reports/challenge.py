"""A small arithmetic question, asked in words, that keeps out bots which fill forms blindly.

The question travels with the form encrypted (Fernet: AES with an HMAC, keyed from
SECRET_KEY) with the time it was first shown, so the server keeps no state between showing
the form and receiving it, and a bot cannot read the operands out of the token (a merely
signed token can be decoded by anyone). The
time gives a minimum time to fill the form in (people read; scripts post at once) and a
maximum age; the nonce is spent on use, so one solved question cannot be replayed.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
import unicodedata
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SALT = "portal.reports.challenge"
MAX_AGE = 2 * 3600  # seconds a question stays answerable
MIN_FILL_SECONDS = 5

NUMBER_WORDS = [
    gettext_lazy("zero"),
    gettext_lazy("one"),
    gettext_lazy("two"),
    gettext_lazy("three"),
    gettext_lazy("four"),
    gettext_lazy("five"),
    gettext_lazy("six"),
    gettext_lazy("seven"),
    gettext_lazy("eight"),
    gettext_lazy("nine"),
]
# Answers people type in Chinese: 〇–十八 (sums stay below 19).
_CHINESE_DIGITS = "零一二三四五六七八九"
CHINESE_NUMBERS = {
    **{d: n for n, d in enumerate(_CHINESE_DIGITS)},
    "〇": 0,
    "两": 2,
    "十": 10,
    **{f"十{d}": 10 + n for n, d in enumerate(_CHINESE_DIGITS) if n},
}


@dataclass(frozen=True)
class Challenge:
    a: int
    b: int
    plus: bool
    nonce: str
    issued_at: int
    token: str

    @property
    def answer(self) -> int:
        return self.a + self.b if self.plus else self.a - self.b

    @property
    def question(self) -> str:
        words = {"a": NUMBER_WORDS[self.a], "b": NUMBER_WORDS[self.b]}
        if self.plus:
            return _("What is %(a)s plus %(b)s?") % words
        return _("What is %(a)s minus %(b)s?") % words


def _cipher() -> Fernet:
    """A key of its own, derived from SECRET_KEY, so no other signed value decrypts here."""
    key = salted_hmac(SALT, "challenge-key", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def issue(now: float | None = None) -> Challenge:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    plus = a <= b or secrets.randbelow(2) == 0  # a difference is never negative
    nonce, issued_at = secrets.token_hex(8), int(time.time() if now is None else now)
    token = _cipher().encrypt(json.dumps([a, b, plus, nonce, issued_at]).encode()).decode()
    return Challenge(a, b, plus, nonce, issued_at, token)


def read(token: str, now: float | None = None) -> Challenge:
    """The question behind a token; a forged, altered or expired token is refused."""
    try:
        a, b, plus, nonce, issued_at = json.loads(_cipher().decrypt(token))
        found = Challenge(int(a), int(b), bool(plus), str(nonce), int(issued_at), token)
    except (InvalidToken, TypeError, ValueError) as error:
        raise ValidationError(
            _("The question could not be checked. Please answer the new one."), code="invalid"
        ) from error
    if (time.time() if now is None else now) - found.issued_at > MAX_AGE:
        raise ValidationError(
            _("The question has expired. Please answer the new one."), code="expired"
        )
    return found


def parse_answer(text: str) -> int | None:
    """Digits (half- or full-width) or a Chinese numeral; None for anything else."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if text.isascii() and text.isdigit():
        return int(text)
    return CHINESE_NUMBERS.get(text)


def check(challenge: Challenge, answer: str, now: float | None = None) -> None:
    now = time.time() if now is None else now
    if now - challenge.issued_at < MIN_FILL_SECONDS:
        raise ValidationError(
            _("The form was sent too quickly. Please check it and send it again."),
            code="too_fast",
        )
    if parse_answer(answer) != challenge.answer:
        raise ValidationError(_("That is not the right answer."), code="wrong_answer")


def spend(challenge: Challenge) -> bool:
    """Mark the question used; False when it was used before (a replayed form)."""
    return cache.add(f"reports-challenge:{challenge.nonce}", 1, timeout=MAX_AGE + 60)

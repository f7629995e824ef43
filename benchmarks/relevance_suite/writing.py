"""How citizens write: pinyin as typed, slips, stray spaces, loosely typed identifiers."""

from __future__ import annotations

import random
import re
import unicodedata


def full_width(text: str) -> str:
    """ASCII letters, digits and spaces as a Chinese input method in full-width mode types them."""
    return "".join(
        "\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text
    )


def syllables(text: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return [s for s in lazy_pinyin(text) if s.isascii() and s.isalpha()]


def pinyin_written(rng: random.Random, han: str) -> str:
    """The pinyin of `han` as people type it: run together, spaced, capitalised or full width."""
    parts = syllables(han)
    form = rng.randrange(5)
    if form == 0:
        return "".join(parts)
    if form == 1:
        return " ".join(parts)
    if form == 2:
        return "".join(p.capitalize() for p in parts)
    if form == 3:
        return " ".join(parts).upper() if len(parts) <= 3 else "".join(parts).upper()
    return full_width("".join(parts))


def pinyin_typo(rng: random.Random, letters: str) -> str:
    """One slip after the first letter: two letters swapped, one dropped or one doubled."""
    at = rng.randrange(1, len(letters) - 1)
    slip = rng.randrange(3)
    if slip == 0 and letters[at] != letters[at + 1]:
        return letters[:at] + letters[at + 1] + letters[at] + letters[at + 2 :]
    if slip == 1:
        return letters[:at] + letters[at + 1 :]
    return letters[:at] + letters[at] + letters[at:]


def messy(rng: random.Random, text: str) -> str:
    """A stray space, trailing space or full-width space, as pasted or typed in a hurry."""
    roll = rng.randrange(4)
    if roll == 0:
        return f" {text} "
    if roll == 1 and len(text) > 2:
        at = rng.randrange(1, len(text))
        return f"{text[:at]} {text[at:]}"
    if roll == 2:
        return f"{text}\u3000"
    return text


def loosen_code(rng: random.Random, code: str) -> str:
    """An identifier as read off a certificate: spaced in groups, lower case, or both."""
    compact = re.sub(r"[\s\-－]", "", code)
    if rng.random() < 0.5:
        compact = compact.lower()
    if rng.random() < 0.6:
        size = rng.choice((4, 6))
        compact = " ".join(compact[i : i + size] for i in range(0, len(compact), size))
    return compact


def loosen_licence(rng: random.Random, number: str) -> str:
    """(沪)XK16-204-00049 as typed: prefix dropped or in full-width brackets, dashes as spaces
    or gone, lower case."""
    body = re.sub(r"^[(（]沪[)）]", "", number)
    form = rng.randrange(4)
    if form == 0:
        body = body.replace("-", " ")
    elif form == 1:
        body = body.replace("-", "").lower()
    elif form == 2:
        body = body.lower()
    prefix = rng.choice(("", "（沪）", "沪", "(沪)")) if number.startswith("(") else ""
    return prefix + body


def loosen_model(rng: random.Random, model: str) -> str | None:
    """The article code of a model (the token with letters and digits) without its dashes, in
    lower case or with a space: HT-10000 → ht10000, "HT 10000"."""
    tokens = [t for t in re.split(r"[\s：:]+", unicodedata.normalize("NFKC", model)) if t]
    codes = [t for t in tokens if re.search(r"[A-Za-z]", t) and re.search(r"\d", t)]
    if not codes:
        return None
    letters = re.sub(r"[^0-9A-Za-z]", "", max(codes, key=len))
    if len(letters) < 4:
        return None
    if rng.random() < 0.5:
        return letters.lower()
    split = re.search(r"\d", letters).start()
    return f"{letters[:split]} {letters[split:]}".lower() if rng.random() < 0.5 else letters


def compact_model(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", unicodedata.normalize("NFKC", text).lower())

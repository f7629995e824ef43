"""Masks for reporters' contact details, for every place but the detail view of an editor
who holds the contact permission: enough to tell reports apart, not to reach the person."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """王小明 → 王**; a Latin name keeps its first letter."""
    return name[:1] + "*" * min(len(name) - 1, 4) if name else ""


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678: the carrier prefix and the last four digits."""
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) < 8:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_email(email: str) -> str:
    """wang.min@example.com → w***@example.com."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else ""


def masked_contact(report) -> str:
    parts = [
        mask_name(report.contact_name),
        mask_phone(report.contact_phone),
        mask_email(report.contact_email),
    ]
    return " · ".join(part for part in parts if part)

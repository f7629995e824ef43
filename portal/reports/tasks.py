"""Celery tasks of consumer reports: the nightly erasure of expired contact details."""

from celery import shared_task

from . import personal_data


@shared_task
def erase_expired_contact_details() -> int:
    return personal_data.erase_expired()

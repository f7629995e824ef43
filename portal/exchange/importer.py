"""Pulls a partner's feed: fetch (bounded) → verify the signature → parse and check → store.

The signature is checked on the raw bytes before anything parses them. A refused page writes
no item; the reason is kept on the partner row and logged. Pages before it in the same pull
stay stored and their cursor kept, so the next pull resumes there.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import signing, validation
from .models import Partner, PartnerItem

logger = logging.getLogger(__name__)
CHUNK = 64 * 1024


class Refused(Exception):
    """The partner's server did not give us a feed we may read."""


def fetch(partner: Partner, since: str | None) -> tuple[bytes, str | None]:
    """The body and signature header of one feed page, read within the size cap and the
    time limit; no redirects (a moved feed is for an editor to confirm, not to follow)."""
    if urlsplit(partner.feed_url).scheme != "https" and not settings.EXCHANGE_ALLOW_HTTP:
        raise Refused(_("The feed URL must use https."))
    cap, limit = settings.EXCHANGE_MAX_FEED_BYTES, settings.EXCHANGE_PULL_TIMEOUT
    deadline = time.monotonic() + limit
    with requests.get(
        partner.feed_url,
        params={"since": since} if since else None,
        headers={"Accept": "application/json", "User-Agent": "anxin-exchange/1"},
        timeout=(min(limit, 10.0), limit),
        allow_redirects=False,
        stream=True,
    ) as response:
        if response.is_redirect or response.is_permanent_redirect:
            location = response.headers.get("Location", "")[:200]
            raise Refused(
                _("The feed redirects to %(url)s; update the feed URL.") % {"url": location}
            )
        if response.status_code != 200:
            raise Refused(
                _("The feed answered HTTP %(status)d.") % {"status": response.status_code}
            )
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > cap:
            raise Refused(_("The feed is larger than %(kb)d KB.") % {"kb": cap // 1024})
        body = bytearray()
        for chunk in response.iter_content(CHUNK):
            body += chunk
            if len(body) > cap:
                raise Refused(_("The feed is larger than %(kb)d KB.") % {"kb": cap // 1024})
            if time.monotonic() > deadline:
                raise Refused(_("The feed took longer than %(s)d seconds.") % {"s": limit})
        return bytes(body), response.headers.get(signing.HEADER)


def pull(partner: Partner) -> str:
    """Pull every new page of the partner's feed; the error, or "" when all went well."""
    lock = f"exchange:pull:{partner.pk}"
    lock_seconds = int(settings.EXCHANGE_PULL_TIMEOUT * settings.EXCHANGE_MAX_PAGES) + 60
    if not cache.add(lock, True, lock_seconds):
        return _("A pull of this partner is already running.")
    try:
        _pull_pages(partner)
    except (Refused, signing.SignatureError, validation.Invalid) as error:
        return _failed(partner, str(error))
    except requests.RequestException as error:
        return _failed(partner, _("The feed could not be fetched: %(error)s") % {"error": error})
    except Exception:
        logger.exception("exchange: pulling %s failed", partner.region_code)
        return _failed(partner, _("Unexpected error; the server log has the details."))
    finally:
        cache.delete(lock)
    partner.record_pull()
    return ""


def _failed(partner: Partner, error: str) -> str:
    logger.warning("exchange: feed of %s refused: %s", partner.region_code, error)
    partner.record_pull(error[:2000])
    return error


def _pull_pages(partner: Partner) -> None:
    since = partner.cursor or None
    for _page in range(settings.EXCHANGE_MAX_PAGES):
        body, header = fetch(partner, since)
        signing.verify(body, header, partner)
        page = validation.page(validation.parse(body), partner, since, partner.last_issued_at)
        with transaction.atomic():
            counts = store(partner, page.items)
            partner.cursor, partner.last_issued_at = page.next or "", page.issued_at
            partner.save(update_fields=["cursor", "last_issued_at"])
        logger.info("exchange: %s: %s", partner.region_code, counts)
        if not page.has_more or not page.next or page.next == since:
            return
        since = page.next


def _digest(data: dict) -> str:
    """Of the content only: a republication that changes nothing is not sent for review."""
    content = {key: value for key, value in data.items() if key != "modified"}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def store(partner: Partner, items: list[validation.Item]) -> dict[str, int]:
    """New items arrive pending; a changed one is updated and goes back to pending (an
    accepted version stays on the site until an editor decides); the same one, or an older
    version arriving late, changes nothing. Three queries for any number of items."""
    existing = {
        row.remote_id: row
        for row in PartnerItem.objects.filter(
            partner=partner, remote_id__in=[item.remote_id for item in items]
        )
    }
    now = timezone.now()
    new, changed = [], []
    for item in items:
        digest, row = _digest(item.data), existing.get(item.remote_id)
        if row is None:
            new.append(
                PartnerItem(
                    partner=partner,
                    remote_id=item.remote_id,
                    kind=item.kind,
                    title=item.title,
                    data=item.data,
                    digest=digest,
                    remote_modified=item.modified,
                    remote_published_at=item.published_at,
                    changed_at=now,
                )
            )
        elif digest != row.digest and item.modified >= row.remote_modified:
            row.kind, row.title, row.data, row.digest = item.kind, item.title, item.data, digest
            row.remote_modified, row.remote_published_at = item.modified, item.published_at
            row.changed_at, row.status = now, PartnerItem.Status.PENDING
            changed.append(row)
    PartnerItem.objects.bulk_create(new)
    PartnerItem.objects.bulk_update(
        changed,
        [
            "kind",
            "title",
            "data",
            "digest",
            "remote_modified",
            "remote_published_at",
            "changed_at",
            "status",
        ],
    )
    return {
        "new": len(new),
        "changed": len(changed),
        "unchanged": len(items) - len(new) - len(changed),
    }

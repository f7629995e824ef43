"""The demo registry's record dates: when the events they stand for happened, not the day the
demo was loaded (the API's `updated_at` and the feeds' `updated` show them)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from portal.inspections.models import SpotCheckBatch
from portal.registry.models import Enterprise, Product

#: The registry was taken over from the business register before the first demo batch (2017).
REGISTRY_LOADED = datetime.date(2017, 1, 3)


def working_morning(day: datetime.date) -> datetime.datetime:
    """09:30 in the portal's time zone: when an authority publishes."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))


def date_records() -> None:
    loaded = working_morning(REGISTRY_LOADED)
    Enterprise.objects.update(created_at=loaded, updated_at=loaded)
    Product.objects.update(created_at=loaded, updated_at=loaded)
    batches = list(SpotCheckBatch.objects.only("pk", "year", "published_on"))
    for batch in batches:
        batch.created_at = batch.updated_at = working_morning(
            batch.published_on or datetime.date(batch.year, 1, 2)
        )
    # bulk_update writes the values given; `save()` would stamp auto_now's "now" again.
    SpotCheckBatch.objects.bulk_update(batches, ["created_at", "updated_at"], batch_size=1000)

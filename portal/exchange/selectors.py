"""What the rest of the portal may read of partners' items: accepted warnings only."""

from __future__ import annotations

from .models import PartnerItem

LATEST = 5


def latest_partner_warnings(limit: int = LATEST):
    """The newest accepted partner warnings not withdrawn, for the warnings listing."""
    return PartnerItem.objects.public_warnings().filter(published__withdrawn_on=None)[:limit]

"""Signals of the inspections app, for apps that keep derived data (search) in step."""

from django.dispatch import Signal

#: Sent inside the import's transaction after results were written in bulk (bulk writes
#: send no model signals). Arguments: `product_ids`, `enterprise_ids` (sets of ids).
results_written = Signal()

"""`grade_changed` is sent after commit whenever a product's public grades change (approval,
withdrawal of an approved grade). Search connects a receiver that re-indexes the products."""

from django.dispatch import Signal

# Arguments: product_ids (list[int]).
grade_changed = Signal()

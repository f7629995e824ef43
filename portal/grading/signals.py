"""`grade_changed` is sent inside the deciding transaction whenever a product's public grades
change (approval, withdrawal of an approved grade, a filed response). Search connects a receiver
that records the products in its outbox in that same transaction (decision 0003)."""

from django.dispatch import Signal

# Arguments: product_ids (list[int]).
grade_changed = Signal()

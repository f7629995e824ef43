"""Model changes that alter a lookup document put it in the outbox (see `search.indexing`)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portal.grading.signals import grade_changed
from portal.inspections.models import SpotCheckBatch, SpotCheckResult
from portal.inspections.signals import results_written
from portal.registry.models import Enterprise, Licence, Product, ProductBarcode

from .outbox import Kind, mark_changed


@receiver([post_save, post_delete], sender=Enterprise)
def enterprise_changed(sender, instance, **kwargs):
    mark_changed(Kind.ENTERPRISE, [instance.pk])
    # Product documents carry their manufacturer's name, district and class.
    mark_changed(
        Kind.PRODUCT,
        Product.objects.filter(manufacturer_id=instance.pk).values_list("pk", flat=True),
    )


@receiver([post_save, post_delete], sender=Licence)
def licence_changed(sender, instance, **kwargs):
    mark_changed(Kind.ENTERPRISE, [instance.enterprise_id])


@receiver([post_save, post_delete], sender=Product)
def product_changed(sender, instance, **kwargs):
    mark_changed(Kind.PRODUCT, [instance.pk])


@receiver([post_save, post_delete], sender=ProductBarcode)
def barcode_changed(sender, instance, **kwargs):
    mark_changed(Kind.PRODUCT, [instance.product_id])


@receiver([post_save, post_delete], sender=SpotCheckResult)
def result_changed(sender, instance, **kwargs):
    mark_changed(Kind.PRODUCT, [instance.product_id])
    mark_changed(Kind.ENTERPRISE, [instance.producer_id])


@receiver(post_save, sender=SpotCheckBatch)
def batch_changed(sender, instance, created, **kwargs):
    """Publishing or withdrawing a batch changes the latest outcome of all it lists."""
    if created:
        return
    results = SpotCheckResult.objects.filter(batch=instance)
    mark_changed(Kind.PRODUCT, results.exclude(product=None).values_list("product_id", flat=True))
    mark_changed(
        Kind.ENTERPRISE, results.exclude(producer=None).values_list("producer_id", flat=True)
    )


@receiver(results_written)
def results_imported(sender, product_ids, enterprise_ids, **kwargs):
    mark_changed(Kind.PRODUCT, product_ids)
    mark_changed(Kind.ENTERPRISE, enterprise_ids)


@receiver(grade_changed)
def grades_changed(sender, product_ids, **kwargs):
    mark_changed(Kind.PRODUCT, product_ids)

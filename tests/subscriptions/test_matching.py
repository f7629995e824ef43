"""Matching in a fixed number of queries, the admin's read-only view, and a real worker."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.utils import timezone

from portal.inspections.models import Outcome, SpotCheckBatch
from portal.subscriptions import matching, tasks
from portal.subscriptions.models import Alert, Publication, Subscription, email_digest
from tests.conftest import verified_login
from tests.factories import (
    EnterpriseFactory,
    ProductCategoryFactory,
    SpotCheckBatchFactory,
    SpotCheckResultFactory,
    UserFactory,
)


def follow(email, **target) -> Subscription:
    """A confirmed subscription, as the form and the confirmation link make it."""
    ((name, value),) = target.items()
    return Subscription.objects.create(
        email=email,
        target=name,
        key=matching.subscription_key(name, value),
        language="zh-hans",
        confirmed_at=timezone.now() - timezone.timedelta(minutes=1),
        **{name: value},
    )


def published_batch(category, failed: int) -> SpotCheckBatch:
    batch = SpotCheckBatchFactory(status=SpotCheckBatch.Status.DRAFT, category=category)
    for n in range(failed):
        SpotCheckResultFactory(batch=batch, outcome=Outcome.FAIL, nominal_brand=f"牌{n % 3}")
    SpotCheckResultFactory(batch=batch)  # a pass: never an alert
    batch.status = SpotCheckBatch.Status.PUBLISHED
    batch.save()
    return batch


@pytest.mark.django_db
def test_matching_a_batch_takes_the_same_queries_for_any_size(django_assert_max_num_queries):
    category = ProductCategoryFactory(code="M01")
    counts = []
    for size in (3, 20):  # under 1,000 alerts: one INSERT (one more per 1,000)
        Subscription.objects.all().delete()
        Publication.objects.update(matched_at=timezone.now())
        for n in range(size):
            follow(f"c{n}@example.org", category=category)
            follow(f"b{n}@example.org", brand=f"牌{n % 3}")
            follow(f"e{n}@example.org", enterprise=EnterpriseFactory())
        published_batch(category, failed=size)
        with django_assert_max_num_queries(20) as captured:
            assert matching.match_pending() == 1
        counts.append(len(captured))
        # Every category follower hears of every failure; brand followers of their brand's.
        assert (
            Alert.objects.filter(subscription__email_digest=email_digest("c0@example.org")).count()
            == size
        )
        assert (
            Alert.objects.filter(subscription__email_digest=email_digest("b0@example.org")).count()
            == (size + 2) // 3
        )
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_admin_lists_subscriptions_read_only_with_masked_addresses(client):
    category = ProductCategoryFactory(code="M02", name="儿童服装")
    follow("wang.min@example.org", category=category)
    editor = UserFactory()
    group = Group.objects.create(name="subscription viewers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_subscription"),
    )
    editor.groups.add(group)
    verified_login(client, editor)
    url = "/admin/snippets/subscriptions/subscription/"
    html = client.get(url).content.decode()
    assert "w***@example.org" in html and "wang.min@example.org" not in html
    assert "儿童服装" in html
    assert client.get(f"{url}add/").status_code == 302  # nobody adds one: refused
    group.permissions.add(Permission.objects.get(codename="view_email_address"))
    assert "wang.min@example.org" in client.get(url).content.decode()


@pytest.mark.celery
# Serialized rollback: the flush after this test leaves the database as the migrations made it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_alerts_go_out_through_a_real_worker(celery_not_eager, transactional_db):
    category = ProductCategoryFactory(code="M03")
    subscription = follow("worker@example.org", category=category)
    published_batch(category, failed=2)  # queues `deliver` after the commit
    assert tasks.deliver.delay().get(timeout=60) == {"matched": 0, "sent": 0}  # done already
    assert Alert.objects.filter(subscription=subscription, sent_at__isnull=False).count() == 2
    assert mail.outbox == []  # sent by the worker's process, not this one


@pytest.mark.django_db
def test_a_category_subscription_follows_the_type_in_every_edition():
    national = ProductCategoryFactory(edition="national-2019", code="M04")
    shanghai = ProductCategoryFactory(edition="shanghai-2020", code="M04")
    follow("type@example.org", category=national)
    published_batch(shanghai, failed=1)
    matching.match_pending()
    assert (
        Alert.objects.filter(subscription__email_digest=email_digest("type@example.org")).count()
        == 1
    )

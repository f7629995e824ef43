"""Personal data (PIPL): encrypted at rest with rotating keys, erased when its retention period
ends (by the real Celery task), and found, exported and erased on a person's request by
editors with the dedicated permission only."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import Permission
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from wagtail.models import ModelLogEntry

from portal.core import subject_access
from portal.reports import tasks
from portal.reports.models import ConsumerReport
from portal.subscriptions.models import Subscription
from tests.conftest import verified_login
from tests.factories import UserFactory

from .factories import ConsumerReportFactory

NAME, PHONE, EMAIL = "王小明", "13812345678", "wang.xiaoming@example.invalid"
PAGE = "personal_data_requests"
KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def raw(table: str, *columns: str) -> list[tuple]:
    """The columns as PostgreSQL holds them, past the model fields."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id")  # noqa: S608
        return cursor.fetchall()


def subscribe(email: str, brand: str = "贝乐") -> Subscription:
    return Subscription.objects.create(
        email=email, target="brand", brand=brand, key=f"brand:{brand}", language="zh-hans"
    )


# --- Encryption at rest and rotation ---------------------------------------------------------


@pytest.mark.django_db
def test_the_raw_columns_hold_no_plaintext():
    ConsumerReportFactory()
    subscribe(EMAIL)
    stored = raw("reports_consumerreport", "contact_name", "contact_phone", "contact_email")
    stored += raw("subscriptions_subscription", "email", "email_digest")
    text = repr(stored)
    for secret in (NAME, PHONE, EMAIL, "wang.xiaoming", "5678"):
        assert secret not in text
    report = ConsumerReport.objects.get()
    assert (report.contact_name, report.contact_phone, report.contact_email) == (NAME, PHONE, EMAIL)
    assert Subscription.objects.for_email(" Wang.Xiaoming@Example.invalid ").get().email == EMAIL


@pytest.mark.django_db
@pytest.mark.parametrize("lookup", ["email", "email__icontains", "email__in"])
def test_looking_up_an_encrypted_value_is_an_error_not_an_empty_answer(lookup):
    subscribe(EMAIL)
    with pytest.raises(FieldError):
        Subscription.objects.filter(**{lookup: [EMAIL] if lookup.endswith("in") else EMAIL})
    assert Subscription.objects.exclude(email="").count() == 1  # emptiness may be asked


@pytest.mark.django_db
def test_a_subscription_is_unique_per_address_whatever_its_case():
    subscribe(EMAIL)
    with pytest.raises(Exception, match="one_subscription_per_key"):
        subscribe(EMAIL.upper())


@pytest.mark.django_db
def test_rotation_leaves_every_row_readable_with_only_the_new_key(settings):
    settings.PERSONAL_DATA_KEYS = [KEY_A]
    reports = [ConsumerReportFactory(contact_phone=f"1381234{n:04}") for n in range(5)]
    ConsumerReportFactory(contact_name="", contact_phone="", contact_email="")
    subscribe(EMAIL)
    before = raw("reports_consumerreport", "contact_phone")

    settings.PERSONAL_DATA_KEYS = [KEY_B, KEY_A]
    out = io.StringIO()
    call_command("rotate_personal_data_keys", "--chunk", "2", stdout=out)
    assert "reports.ConsumerReport: 5 of 6 rows re-encrypted" in out.getvalue()
    assert "subscriptions.Subscription: 1 of 1 rows re-encrypted" in out.getvalue()
    assert raw("reports_consumerreport", "contact_phone") != before

    again = io.StringIO()
    call_command("rotate_personal_data_keys", stdout=again)  # resumable: nothing left to do
    assert "0 of 6 rows" in again.getvalue() and "0 of 1 rows" in again.getvalue()

    settings.PERSONAL_DATA_KEYS = [KEY_B]
    phones = list(ConsumerReport.objects.order_by("pk").values_list("contact_phone", flat=True))
    assert phones == [r.contact_phone for r in reports] + [""]
    assert Subscription.objects.for_email(EMAIL).get().email == EMAIL
    assert ConsumerReport.objects.filter(contact_phone_digest=reports[0].contact_phone_digest)


@pytest.mark.django_db
def test_a_value_no_key_opens_is_a_clear_error_not_data(settings):
    settings.PERSONAL_DATA_KEYS = [KEY_A]
    ConsumerReportFactory()
    settings.PERSONAL_DATA_KEYS = [KEY_B]
    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted with any key"):
        ConsumerReport.objects.get()


@pytest.mark.django_db
def test_a_chunk_of_zero_is_refused():
    with pytest.raises(CommandError, match="--chunk must be at least 1"):
        call_command("rotate_personal_data_keys", "--chunk", "0")


# --- Retention --------------------------------------------------------------------------------


def erasures(report) -> list[ModelLogEntry]:
    return list(
        ModelLogEntry.objects.filter(object_id=str(report.pk), action=subject_access.ERASED)
    )


@pytest.mark.celery
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_nightly_task_erases_expired_contact_details_on_a_real_worker(
    celery_not_eager, transactional_db, settings
):
    old = timezone.now() - datetime.timedelta(days=settings.REPORTS_CONTACT_RETENTION_DAYS + 1)
    expired = ConsumerReportFactory(created_at=old, status="closed")
    kept = ConsumerReportFactory()

    assert tasks.erase_expired_contact_details.delay().get(timeout=120) == 1

    expired.refresh_from_db()
    assert (expired.contact_name, expired.contact_phone, expired.contact_email) == ("", "", "")
    assert expired.contact_phone_digest == expired.contact_email_digest == ""
    assert expired.personal_data_erased_at is not None
    # The report itself stays for the statistics.
    assert (expired.product_text, expired.problem, expired.status) == (
        kept.product_text,
        "hazard",
        "closed",
    )
    kept.refresh_from_db()
    assert kept.contact_phone == PHONE
    (entry,) = erasures(expired)
    assert entry.data == {"reason": "retention"} and entry.user is None
    assert PHONE not in json.dumps(entry.data) + entry.label
    assert erasures(kept) == []
    # Run again: nothing left to erase, no new entry.
    assert tasks.erase_expired_contact_details.delay().get(timeout=120) == 0
    assert len(erasures(expired)) == 1


def test_the_task_is_scheduled(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["personal-data-retention"]
    assert schedule["task"] == tasks.erase_expired_contact_details.name


# --- Subject access and erasure ---------------------------------------------------------------


def editor(*codenames):
    user = UserFactory()
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(codename__in=codenames),
    )
    return user


@pytest.fixture
def officer(client):
    """An editor who answers people's requests: the dedicated permission, nothing else."""
    user = editor("manage_personal_data")
    verified_login(client, user)
    return user


@pytest.fixture
def person():
    """One person's data: two reports (by phone in one, e-mail in the other), a subscription;
    and someone else's report."""
    return {
        "by_phone": ConsumerReportFactory(contact_email="", contact_phone="138-1234 5678"),
        "by_email": ConsumerReportFactory(
            contact_phone="", contact_name="", description='=HYPERLINK("http://evil.example")'
        ),
        "subscription": subscribe(EMAIL),
        "other": ConsumerReportFactory(
            contact_name="李四", contact_phone="13900000000", contact_email="li@example.invalid"
        ),
    }


def ask(client, action, email=EMAIL, phone=PHONE, **extra):
    data = {"email": email, "phone": phone, "action": action, **extra}
    return client.post(reverse(PAGE), data)


@pytest.mark.django_db
def test_a_permitted_editor_finds_a_persons_data_by_email_and_phone(client, officer, person):
    response = ask(client, "search")
    assert response.status_code == 200
    html = response.content.decode()
    assert person["by_phone"].reference in html and person["by_email"].reference in html
    assert "贝乐" in html and EMAIL in html
    assert person["other"].reference not in html and "李四" not in html
    assert ModelLogEntry.objects.filter(action=subject_access.EXPORTED).count() == 0


@pytest.mark.django_db
def test_the_export_is_json_or_csv_and_audited(client, officer, person):
    response = ask(client, "json")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment;")
    held = json.loads(response.content)["held"]
    assert {r["reference"] for r in held["consumer reports"]} == {
        person["by_phone"].reference,
        person["by_email"].reference,
    }
    assert held["subscriptions"][0]["email"] == EMAIL
    entries = ModelLogEntry.objects.filter(action=subject_access.EXPORTED)
    assert entries.count() == 3 and len({e.uuid for e in entries}) == 1
    assert {e.user for e in entries} == {officer}
    assert EMAIL not in repr(list(entries.values("label", "data")))

    rows = list(csv.reader(io.StringIO(ask(client, "csv").content.decode("utf-8-sig"))))
    assert rows[0] == ["kind", "record", "field", "value"]
    assert ["subscriptions", "1", "email", EMAIL] in rows
    assert ["consumer reports", "1", "telephone", "138-1234 5678"] in rows
    assert ["consumer reports", "2", "description", '\'=HYPERLINK("http://evil.example")'] in rows
    assert ModelLogEntry.objects.filter(action=subject_access.EXPORTED).count() == 6


@pytest.mark.django_db
def test_erasure_needs_the_box_ticked_and_then_erases_everything_held(client, officer, person):
    unticked = ask(client, "erase")
    assert unticked.status_code == 400
    with translation.override("zh-hans"):
        assert (
            translation.gettext("Tick the box to confirm the erasure.") in unticked.content.decode()
        )
    assert Subscription.objects.count() == 1

    response = ask(client, "erase", confirm="on")
    assert response.status_code == 200
    for key in ("by_phone", "by_email"):
        report = ConsumerReport.objects.get(pk=person[key].pk)
        assert (report.contact_name, report.contact_phone, report.contact_email) == ("", "", "")
        assert report.product_text == person[key].product_text
    assert Subscription.objects.count() == 0
    assert ConsumerReport.objects.get(pk=person["other"].pk).contact_name == "李四"
    entries = ModelLogEntry.objects.filter(action=subject_access.ERASED)
    assert entries.count() == 3 and {e.data["reason"] for e in entries} == {"request"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "phone": ""}, "Enter an email address or a telephone number."),
        ({"email": "not-an-address", "phone": ""}, "Enter a valid email address."),
        ({"email": "", "phone": "12-3"}, "Enter a telephone number of at least 6 digits."),
    ],
)
def test_bad_requests_are_named_and_nothing_is_exported_or_erased(
    client, officer, person, data, message
):
    with translation.override("zh-hans"):  # the admin's language
        expected = escape(translation.gettext(message))
    for action in ("json", "erase"):
        response = client.post(reverse(PAGE), {**data, "action": action, "confirm": "on"})
        assert response.status_code == 400
        assert expected in response.content.decode()
    assert not ModelLogEntry.objects.filter(action__startswith="portal.personal_data")
    assert Subscription.objects.count() == 1


@pytest.mark.django_db
def test_an_editor_without_the_permission_gets_403(client, person):
    verified_login(client, editor("view_consumerreport", "view_contact_details"))
    assert client.get(reverse(PAGE)).status_code == 403
    assert ask(client, "json").status_code == 403
    assert ask(client, "erase", confirm="on").status_code == 403
    assert Subscription.objects.count() == 1
    assert not ModelLogEntry.objects.filter(action__startswith="portal.personal_data")


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, person):
    for response in (client.get(reverse(PAGE)), ask(client, "erase", confirm="on")):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert Subscription.objects.count() == 1

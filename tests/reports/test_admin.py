"""Editors triage reports in the Wagtail admin: listing, filters, contact privacy, status
history, assignment, district scoping and the permission-checked photo view."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from portal.registry.models import District
from portal.reports.models import ConsumerReport
from tests.conftest import verified_login
from tests.factories import UserFactory

from .factories import ConsumerReportFactory, ReportPhotoFactory

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_reports_consumerreport:list"
EDIT = "wagtailsnippets_reports_consumerreport:edit"
INSPECT = "wagtailsnippets_reports_consumerreport:inspect"
ADD = "wagtailsnippets_reports_consumerreport:add"
PHONE, EMAIL = "13812345678", "wang.xiaoming@example.invalid"


def handler(**kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name="report handler"))
    return user


def editor_with(*codenames, districts=()):
    """Admin access and the given report permissions, but not the contact permission."""
    user = UserFactory()
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="reports", codename__in=codenames),
    )
    for code in districts:
        District.objects.get(code=code).editors.add(user)
    return user


def denied(response) -> bool:
    """Wagtail answers PermissionDenied in the admin with a redirect to the dashboard."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def triage(report, **fields) -> dict:
    return {
        "status": report.status,
        "assigned_to": "",
        "public_answer": "",
        "internal_notes": "",
        "warning": "",
        "product": "",
        "enterprise": "",
        "district": report.district_id or "",
        **fields,
    }


def test_the_report_handler_group_triages_and_sees_contacts():
    codenames = set(
        Group.objects.get(name="report handler").permissions.values_list("codename", flat=True)
    )
    assert codenames == {
        "access_admin",
        "view_consumerreport",
        "change_consumerreport",
        "view_contact_details",
    }


def test_the_listing_masks_contacts_filters_and_searches(client):
    ConsumerReportFactory(product_text="儿童保温杯", status="received")
    ConsumerReportFactory(product_text="电动车充电器", status="reviewing")
    verified_login(client, handler())
    html = client.get(reverse(LIST)).content.decode()
    assert "儿童保温杯" in html and "电动车充电器" in html
    assert PHONE not in html and EMAIL not in html and "王小明" not in html
    assert "王** · 138****5678 · w***@example.invalid" in html
    reviewing = client.get(reverse(LIST), {"status": "reviewing"}).content.decode()
    assert "电动车充电器" in reviewing and "儿童保温杯" not in reviewing
    searched = client.get(reverse(LIST), {"q": "充电器"}).content.decode()
    assert "电动车充电器" in searched and "儿童保温杯" not in searched
    # Contact details are not searchable: a search must not reveal who reported what.
    assert "儿童保温杯" not in client.get(reverse(LIST), {"q": PHONE}).content.decode()


def test_the_listing_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    user = handler()
    verified_login(client, user)
    ConsumerReportFactory.create_batch(2, assigned_to=user)
    client.get(reverse(LIST))  # warm per-process caches (content types, site)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse(LIST))
    ConsumerReportFactory.create_batch(
        12, assigned_to=user, district=District.objects.get(code="minhang")
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse(LIST))


def test_contacts_are_shown_only_with_the_contact_permission(client):
    report = ConsumerReportFactory()
    verified_login(client, handler())
    assert PHONE in client.get(reverse(EDIT, args=[report.pk])).content.decode()
    verified_login(client, editor_with("view_consumerreport", "change_consumerreport"))
    for url in (reverse(EDIT, args=[report.pk]), reverse(INSPECT, args=[report.pk])):
        html = client.get(url).content.decode()
        assert PHONE not in html and EMAIL not in html and "王小明" not in html, url
    assert "138****5678" in client.get(reverse(EDIT, args=[report.pk])).content.decode()


def test_answering_records_the_step_the_reporter_sees(client):
    report = ConsumerReportFactory()
    user = handler(username="zhang.wei")
    verified_login(client, user)
    url = reverse(EDIT, args=[report.pk])
    missing = client.post(url, triage(report, status="answered"))
    assert "请先填写举报人可见的公开答复" in missing.content.decode()
    assert ConsumerReport.objects.get(pk=report.pk).status == "received"

    answer = "您好，我局已对该店铺开展检查。\n感谢您的监督。"
    saved = client.post(
        url,
        triage(report, status="answered", public_answer=answer, assigned_to=user.pk),
    )
    assert saved.status_code == 302
    report.refresh_from_db()
    assert report.status == "answered" and report.assigned_to == user
    assert report.public_answer == answer
    steps = list(report.status_changes.values_list("status", "changed_by__username"))
    assert steps == [("received", None), ("answered", "zhang.wei")]
    # Saving again without a new status adds no step.
    client.post(url, triage(report, status="answered", public_answer=answer))
    assert report.status_changes.count() == 2


def test_reports_are_assigned_only_to_people_who_may_triage(client):
    report = ConsumerReportFactory()
    someone = UserFactory(username="not-a-handler")
    colleague = handler(username="li.na")
    verified_login(client, handler())
    form = client.get(reverse(EDIT, args=[report.pk])).context["form"]
    choices = form.fields["assigned_to"].queryset
    assert colleague in choices and someone not in choices
    response = client.post(reverse(EDIT, args=[report.pk]), triage(report, assigned_to=someone.pk))
    assert response.status_code == 200 and "assigned_to" in response.context["form"].errors


def test_nobody_adds_a_report_in_the_admin(client):
    verified_login(client, UserFactory(is_superuser=True))
    assert reverse(ADD) not in client.get(reverse(LIST)).content.decode()
    assert denied(client.get(reverse(ADD)))
    assert ConsumerReport.objects.count() == 0


def test_district_editors_see_only_their_district(client):
    minhang = ConsumerReportFactory(
        product_text="闵行的举报", district=District.objects.get(code="minhang")
    )
    songjiang = ConsumerReportFactory(
        product_text="松江的举报", district=District.objects.get(code="songjiang")
    )
    ConsumerReportFactory(product_text="未分区的举报")
    verified_login(
        client, editor_with("view_consumerreport", "change_consumerreport", districts=["minhang"])
    )
    html = client.get(reverse(LIST)).content.decode()
    assert "闵行的举报" in html and "松江的举报" not in html and "未分区的举报" not in html
    assert client.get(reverse(EDIT, args=[minhang.pk])).status_code == 200
    assert denied(client.get(reverse(EDIT, args=[songjiang.pk])))


def test_photos_are_served_only_to_permitted_editors(client):
    photo = ReportPhotoFactory(report__district=District.objects.get(code="songjiang"))
    url = reverse("reports_photo", args=[photo.pk])
    assert client.get(url)["Location"].startswith(reverse("wagtailadmin_login"))
    verified_login(client, editor_with())
    assert denied(client.get(url))
    verified_login(client, editor_with("view_consumerreport", districts=["minhang"]))
    assert denied(client.get(url))
    verified_login(client, handler())
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert url in client.get(reverse(EDIT, args=[photo.report_id])).content.decode()


def test_a_photo_whose_file_is_gone_is_not_found(client):
    photo = ReportPhotoFactory()
    photo.file.storage.delete(photo.file.name)
    verified_login(client, handler())
    assert client.get(reverse("reports_photo", args=[photo.pk])).status_code == 404

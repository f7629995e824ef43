"""Scheme admin: the snippet pages work, and a version graded against is frozen."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.admin.panels import get_edit_handler

from portal.grading.models import GradingScheme
from tests.conftest import verified_login
from tests.factories import SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db


def form_data(form) -> dict:
    """What the browser would post back for an unchanged scheme form, formsets included."""
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    for formset in form.formsets.values():
        management = formset.management_form
        data.update({management.add_prefix(k): management[k].value() for k in management.fields})
        for child in formset.forms:
            for name in child.fields:
                value = child[name].value()
                data[child.add_prefix(name)] = "" if value is None else value
    return data


def bound_form(scheme: GradingScheme, user, **changes):
    form_class = get_edit_handler(GradingScheme).get_form_class()
    data = {**form_data(form_class(instance=scheme, for_user=user)), **changes}
    return form_class(data, instance=scheme, for_user=user)


@pytest.fixture
def admin_user():
    return UserFactory(username="scheme-admin", is_superuser=True, is_staff=True)


def test_scheme_snippet_pages_render(client, admin_user, scheme):
    verified_login(client, admin_user)
    assert client.get(reverse("wagtailsnippets_grading_gradingscheme:add")).status_code == 200
    edit = client.get(reverse("wagtailsnippets_grading_gradingscheme:edit", args=[scheme.pk]))
    assert edit.status_code == 200 and "电气安全" in edit.content.decode()


def test_a_scheme_without_grades_may_change(admin_user, scheme):
    assert bound_form(scheme, admin_user, name="小家电综合质量评价（修订）").is_valid()


def test_a_graded_scheme_changes_only_its_status(admin_user, scheme):
    SubmissionFactory(scheme=scheme)
    renamed = bound_form(scheme, admin_user, name="小家电综合质量评价（修订）")
    assert not renamed.is_valid()
    assert renamed.non_field_errors().as_data()[0].code == "scheme_frozen"
    reweighted = bound_form(scheme, admin_user, **{"criteria-0-weight": "50"})
    assert not reweighted.is_valid()
    assert bound_form(scheme, admin_user, status="retired").is_valid()

"""Grades where a citizen already is: the main navigation, the home page, product pages and
lookup results; and the demo's grades, which the open data export then carries."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from portal.demo.generate import DEFAULT_SEED
from portal.demo.grading import build_grading
from portal.grading.models import GraderOrganisation, GradingScheme, Submission
from portal.opendata.datasets import grades as open_data_grades
from search import indexing

from .comparisons import graded_kettles, kettle_category, kettle_scheme

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(db):
    call_command("load_demo", "--scale", "0", stdout=io.StringIO())


def test_the_main_navigation_leads_to_grading(client, home):
    html = client.get("/").content.decode()
    assert f'<a href="{reverse("grading:report_index")}">质量分级</a>' in html
    html = client.get(reverse("grading:report_index")).content.decode()
    assert 'aria-current="page">质量分级</a>' in html


def test_the_home_page_shows_the_latest_comparisons(client, home):
    assert "最新质量分级比较" not in client.get("/").content.decode()  # nothing to show yet
    scheme, category = kettle_scheme(), kettle_category()
    graded_kettles(3, scheme, category)
    html = client.get("/").content.decode()
    assert "最新质量分级比较" in html
    assert reverse("grading:compare", args=[scheme.pk, category.pk]) in html
    assert "已分级 3 个产品" in html
    english = client.get("/en/").content.decode()
    assert "Electric kettles" in english and "3 products graded" in english


def test_a_product_page_links_its_grade_to_the_comparison(client):
    scheme, category = kettle_scheme(), kettle_category()
    kettle = graded_kettles(1, scheme, category)[0]
    html = client.get(kettle.product.get_absolute_url()).content.decode()
    assert kettle.grade in html
    assert reverse("grading:compare", args=[scheme.pk, category.pk]) in html


@pytest.mark.search
def test_lookup_results_carry_a_grade_badge(client, search_prefix):
    scheme, category = kettle_scheme(), kettle_category()
    graded = graded_kettles(2, scheme, category)
    indexing.rebuild()
    html = client.get(reverse("search"), {"q": "电热水壶"}).content.decode()
    for kettle in graded:
        assert f"质量分级 {kettle.grade}</span>" in html
    assert 'value="small-appliance:' in html  # the grade facet stays


def test_the_demo_grades_reproducibly_and_open_data_carries_them(db):
    call_command("load_demo", "--scale", "0.05", stdout=io.StringIO())
    statuses = dict.fromkeys(Submission.Status.values, 0)
    for status in Submission.objects.values_list("status", flat=True):
        statuses[status] += 1
    assert GraderOrganisation.objects.count() >= 2
    assert GradingScheme.objects.filter(status="active").count() >= 4
    assert statuses["approved"] > 50  # 530 at scale 1 (the sample is capped by the products)
    assert statuses["withdrawn"] == 1 and statuses["rejected"] == 1 and statuses["pending"] == 2
    assert Submission.objects.exclude(manufacturer_response="").count() == 1
    assert open_data_grades().count() == statuses["approved"]
    first = list(
        Submission.objects.order_by("reference").values_list("reference", "grade", "price")
    )

    Submission.objects.all().delete()  # the schemes are kept, as after `load_demo --reset`
    build_grading(DEFAULT_SEED, print)
    again = list(
        Submission.objects.order_by("reference").values_list("reference", "grade", "price")
    )
    assert again == first
    build_grading(DEFAULT_SEED, print)
    assert Submission.objects.count() == len(first)  # a second run adds nothing

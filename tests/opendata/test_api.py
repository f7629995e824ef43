"""The public read-only API under /api/v1/: what is published, the item shape and links,
filters and their errors, cursor pagination, the schema."""

from __future__ import annotations

import base64

import pytest
from django.test import override_settings
from django.utils import timezone

from content.models import RiskWarningPage
from portal.opendata.datasets import DATASETS
from tests.pages import original

pytestmark = pytest.mark.django_db

DATASET_NAMES = list(DATASETS)


def ids(response) -> set[int]:
    assert response.status_code == 200, response.data
    return {item["id"] for item in response.data["results"]}


def every_id(api_get, path: str, **params) -> list[int]:
    """The ids of every page of a list, following `next` links."""
    seen, response = [], api_get(path, **params)
    while True:
        assert response.status_code == 200, response.data
        seen += [item["id"] for item in response.data["results"]]
        if not response.data["next"]:
            return seen
        response = api_get(response.data["next"].removeprefix("http://testserver"))


# --- Only published data -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dataset", "visible", "hidden"),
    [
        ("batches", ["published", "corrected"], ["draft", "withdrawn"]),
        ("results", ["failed", "passed"], ["removed", "draft_result", "withdrawn_result"]),
        ("warnings", ["warning"], ["unpublished_warning", "draft_warning"]),
        (
            "grades",
            ["grade", "other_grade"],
            ["pending_grade", "withdrawn_grade", "rejected_grade"],
        ),
    ],
)
def test_only_published_rows_are_listed_or_found(api_rows, api_get, dataset, visible, hidden):
    listed = set(every_id(api_get, f"/api/v1/{dataset}/", page_size=500))
    for name in visible:
        pk = getattr(api_rows, name).pk
        assert pk in listed, name
        assert api_get(f"/api/v1/{dataset}/{pk}/").status_code == 200
    for name in hidden:
        pk = getattr(api_rows, name).pk
        assert pk not in listed, name
        response = api_get(f"/api/v1/{dataset}/{pk}/")
        assert response.status_code == 404, name
        assert response.data["error"]["code"] == "not_found"


def test_warnings_are_the_originals_once_never_translations_or_aliases(api_rows, api_get):
    listed = every_id(api_get, "/api/v1/warnings/", page_size=500)
    originals = RiskWarningPage.objects.live().filter(locale__language_code="zh-hans")
    assert sorted(listed) == sorted(originals.values_list("pk", flat=True))
    others = RiskWarningPage.objects.exclude(locale__language_code="zh-hans")
    alias, translation = (
        others.filter(alias_of__isnull=False)[0],
        others.get(locale__language_code="en", slug="magnetic-toys"),
    )
    for page in (alias, translation):
        assert api_get(f"/api/v1/warnings/{page.pk}/").status_code == 404


def test_a_warning_cites_only_published_results(api_rows, api_get):
    warning = api_get(f"/api/v1/warnings/{api_rows.warning.pk}/").data
    assert warning["related_result_ids"] == [api_rows.passed.pk]  # not the draft batch's row


def test_no_private_field_is_published(api_rows, api_get):
    private = {
        "producer_candidates",
        "producer_match",
        "extra",
        "sample_key",
        "row_numbers",
        "decision_reason",
        "decided_by",
        "submitted_by",
        "reference",
        "report_number",
        "comment",
        "token",
        "contact_name",
        "contact_email",
        "contact_phone",
        "owner",
        "editors",
        "identity",
    }
    for name in DATASET_NAMES:
        item = api_get(f"/api/v1/{name}/").data["results"][0]
        assert not private & set(item), name


# --- Items: stable ids, permanent and portal addresses -----------------------------------------


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_each_item_is_at_its_permanent_address(api_rows, api_get, name):
    listed = api_get(f"/api/v1/{name}/").data["results"]
    assert listed
    for item in listed[:3]:
        assert item["url"] == f"http://testserver/api/v1/{name}/{item['id']}/"
        assert api_get(item["url"].removeprefix("http://testserver")).data == item


def test_portal_addresses_lead_to_the_pages(api_rows, api_get, client):
    batch = api_get(f"/api/v1/batches/{api_rows.published.pk}/").data
    result = api_get(f"/api/v1/results/{api_rows.failed.pk}/").data
    enterprise = api_get(f"/api/v1/enterprises/{api_rows.tongle.pk}/").data
    product = api_get(f"/api/v1/products/{api_rows.dress.pk}/").data
    warning = api_get(f"/api/v1/warnings/{api_rows.warning.pk}/").data
    grade = api_get(f"/api/v1/grades/{api_rows.grade.pk}/").data
    assert batch["html_url"] == result["html_url"] == "http://testserver/notices/api-notice/"
    assert warning["html_url"] == "http://testserver/warnings/api-kettle/"
    assert grade["html_url"] == f"http://testserver/products/{api_rows.kettle.pk}/"
    for url in (
        batch["html_url"],
        enterprise["html_url"],
        product["html_url"],
        warning["html_url"],
        grade["scheme_html_url"],
    ):
        assert client.get(url.removeprefix("http://testserver")).status_code == 200, url
    # A batch without a notice page has none; its results say so too.
    corrected = api_get(f"/api/v1/batches/{api_rows.corrected.pk}/").data
    assert corrected["html_url"] is None
    assert corrected["results_url"] == (
        f"http://testserver/api/v1/results/?batch={api_rows.corrected.pk}"
    )


def test_links_are_in_the_default_language_whatever_the_request(api_rows, api_get):
    item = api_get(
        f"/api/v1/enterprises/{api_rows.tongle.pk}/", headers={"Accept-Language": "en"}
    ).data
    assert item["html_url"] == f"http://testserver/enterprises/{api_rows.tongle.pk}/"


def test_translations_list_only_published_translations(api_rows, api_get, client):
    magnetic = original(RiskWarningPage, slug="magnetic-toys")
    translations = api_get(f"/api/v1/warnings/{magnetic.pk}/").data["translations"]
    assert translations == {
        "zh-hant": "http://testserver/zh-hant/warnings/magnetic-toys/",
        "en": "http://testserver/en/warnings/magnetic-toys/",
    }
    english = client.get(translations["en"].removeprefix("http://testserver"))
    assert "Beware of children swallowing" in english.content.decode()
    # A new warning is only aliased into the other trees: nothing to list yet.
    assert api_get(f"/api/v1/warnings/{api_rows.warning.pk}/").data["translations"] == {}


def test_nested_lists_and_codes(api_rows, api_get):
    result = api_get(f"/api/v1/results/{api_rows.failed.pk}/").data
    assert result["outcome"] == "fail"
    assert result["category_code"] == "API-0101" and result["category_name"] == "儿童服装"
    assert result["producer_uscc"] == api_rows.tongle.uscc
    assert [(i["item"], i["is_safety_item"]) for i in result["failed_items"]] == [
        ("绳带要求", True),
        ("纤维含量", False),
    ]
    licence = api_get(f"/api/v1/licences/{api_rows.revoked.pk}/").data
    assert licence["status"] == "revoked"
    assert licence["status_history"] == [
        {"status": "revoked", "changed_on": "2020-04-01", "reason": "抽查不合格"}
    ]
    product = api_get(f"/api/v1/products/{api_rows.kettle.pk}/").data
    assert product["barcodes"] == [api_rows.kettle_barcode.gtin]
    assert product["manufacturer_name"] == "上海浦江电器有限公司"
    enterprise = api_get(f"/api/v1/enterprises/{api_rows.dianqi.pk}/").data
    assert enterprise["district_code"] == "pudong"
    assert enterprise["credit_flags"][0]["kind"] == "penalty"
    warning = api_get(f"/api/v1/warnings/{api_rows.warning.pk}/").data
    assert warning["hazards"] == ["electric_shock"]
    assert warning["affected_products"][0]["brand"] == "浦江"
    grade = api_get(f"/api/v1/grades/{api_rows.grade.pk}/").data
    assert grade["overall_score"] == 90.4 and grade["scores"]["safety"] == 95


# --- Filters -----------------------------------------------------------------------------------


def test_filters_by_district_and_credit_code(api_rows, api_get):
    assert ids(api_get("/api/v1/enterprises/", district="pudong")) == {api_rows.dianqi.pk}
    spaced = " ".join(api_rows.tongle.uscc.lower()[i : i + 6] for i in range(0, 18, 6))
    assert ids(api_get("/api/v1/enterprises/", credit_code=spaced)) == {api_rows.tongle.pk}
    full_width = api_rows.dianqi.uscc.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    assert ids(api_get("/api/v1/licences/", credit_code=full_width)) == {api_rows.revoked.pk}
    assert ids(api_get("/api/v1/products/", credit_code=api_rows.dianqi.uscc)) == {
        api_rows.kettle.pk
    }
    assert ids(api_get("/api/v1/results/", credit_code=api_rows.tongle.uscc)) == {
        api_rows.failed.pk
    }
    assert ids(api_get("/api/v1/batches/", district="pudong")) == {api_rows.corrected.pk}
    assert api_rows.passed.pk in ids(api_get("/api/v1/results/", district="pudong"))
    assert api_rows.failed.pk not in ids(api_get("/api/v1/results/", district="pudong"))


def test_category_filter_includes_the_categories_below(api_rows, api_get):
    # Results and products are in 儿童服装 (API-0101), below 儿童用品 (API-01).
    assert ids(api_get("/api/v1/products/", category="API-01")) == {api_rows.dress.pk}
    assert ids(api_get("/api/v1/results/", category="API-01")) == {api_rows.failed.pk}
    assert ids(api_get("/api/v1/batches/", category="API-0101")) == {api_rows.published.pk}
    assert ids(api_get("/api/v1/warnings/", category="API-02")) == {api_rows.warning.pk}
    assert ids(api_get("/api/v1/categories/", parent="API-01")) == {api_rows.clothing.pk}


def test_outcome_status_and_other_choices(api_rows, api_get):
    def chosen(path, rows, **params):
        """Which of `rows` (names of test rows) the filtered list has."""
        listed = ids(api_get(path, page_size=500, **params))
        return {name for name in rows if getattr(api_rows, name).pk in listed}

    assert chosen("/api/v1/results/", ["failed", "passed"], outcome="fail") == {"failed"}
    assert chosen("/api/v1/licences/", ["licence", "revoked"], status="revoked") == {"revoked"}
    assert chosen("/api/v1/batches/", ["published", "corrected"], status="corrected") == {
        "corrected"
    }
    assert chosen("/api/v1/batches/", ["published", "corrected"], level="district") == {"corrected"}
    assert chosen("/api/v1/batches/", ["published", "corrected"], year=2019) == {"published"}
    assert chosen("/api/v1/warnings/", ["warning"], hazard="electric_shock", risk_level="high") == {
        "warning"
    }
    assert chosen("/api/v1/warnings/", ["warning"], withdrawn="true") == set()
    assert chosen("/api/v1/grades/", ["grade", "other_grade"], grade="A") == {"other_grade"}
    assert chosen("/api/v1/categories/", ["children", "appliances"], is_key="false") == {
        "appliances"
    }


def test_date_ranges_are_inclusive(api_rows, api_get):
    assert ids(api_get("/api/v1/batches/", published_after="2020-09-01")) == {api_rows.corrected.pk}
    assert ids(
        api_get("/api/v1/batches/", published_after="2019-06-12", published_before="2019-06-12")
    ) == {api_rows.published.pk}
    assert ids(api_get("/api/v1/results/", published_before="2019-12-31", outcome="fail")) == {
        api_rows.failed.pk
    }
    assert ids(
        api_get("/api/v1/licences/", issued_after="2018-01-01", issued_before="2018-12-31")
    ) == {api_rows.licence.pk}
    assert api_get("/api/v1/licences/", expires_before="2000-01-01").data["results"] == []
    api_rows.warning.refresh_from_db()
    today = timezone.localdate(api_rows.warning.first_published_at).isoformat()
    assert api_rows.warning.pk in ids(api_get("/api/v1/warnings/", published_after=today))
    assert ids(api_get("/api/v1/warnings/", published_before="2000-01-01")) == set()


@pytest.mark.parametrize("form", ["gtin13", "gtin14", "spaced", "full-width"])
def test_gtin_filter_accepts_every_form_of_the_code(api_rows, api_get, form):
    code = api_rows.kettle_barcode.gtin  # stored as GTIN-13
    typed = {
        "gtin13": code,
        "gtin14": "0" + code,
        "spaced": f"{code[:1]} {code[1:7]} {code[7:]}",
        "full-width": code.translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)}),
    }[form]
    assert ids(api_get("/api/v1/products/", gtin=typed)) == {api_rows.kettle.pk}
    assert ids(api_get("/api/v1/results/", gtin=typed)) == {api_rows.passed.pk}
    assert ids(api_get("/api/v1/grades/", gtin=typed)) == {
        api_rows.grade.pk,
        api_rows.other_grade.pk,
    }
    # The warning lists it as GTIN-14 ("0…"), as an editor typed it.
    assert ids(api_get("/api/v1/warnings/", gtin=typed)) == {api_rows.warning.pk}


def test_gtin8_and_gtin12_are_accepted(api_rows, api_get):
    for code in ("96385074", "036000291452"):  # valid GTIN-8 and UPC-A, registered nowhere
        response = api_get("/api/v1/products/", gtin=code)
        assert response.status_code == 200 and response.data["results"] == []


@pytest.mark.parametrize(
    ("path", "params", "field", "says"),
    [
        ("enterprises", {"district": "atlantis"}, "district", "minhang"),
        ("enterprises", {"credit_code": "91310110000000000A"}, "credit_code", "credit code"),
        ("products", {"gtin": "6901234567891"}, "gtin", "check digit"),
        ("products", {"gtin": "12345"}, "gtin", "GTIN"),
        ("products", {"category": "NO-SUCH"}, "category", "NO-SUCH"),
        ("batches", {"published_after": "2020-13-45"}, "published_after", "date"),
        ("results", {"outcome": "maybe"}, "outcome", "maybe"),
        ("results", {"batch": "abc"}, "batch", "number"),
        ("results", {"batch": str(2**70)}, "batch", "9223372036854775807"),
        ("batches", {"year": "20190"}, "year", "2999"),
        ("warnings", {"hazard": "ghosts"}, "hazard", "ghosts"),
    ],
)
def test_an_invalid_filter_value_is_a_clear_400(api_rows, api_get, path, params, field, says):
    response = api_get(f"/api/v1/{path}/", headers={"Accept-Language": "en"}, **params)
    assert response.status_code == 400
    error = response.data["error"]
    assert error["code"] == "invalid_filter"
    assert list(error["fields"]) == [field]
    assert says in " ".join(error["fields"][field])


@pytest.mark.parametrize(
    "query",
    ["outcome=fail&outcome=pass", "outcome=", "withdrawn=yes", "published_after=10/25/2020"],
)
def test_ambiguous_parameters_are_refused_not_guessed(api_rows, client, query):
    path = "/api/v1/warnings/" if "withdrawn" in query else "/api/v1/results/"
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_filter"


def test_a_bad_query_is_refused_even_when_the_client_has_a_copy(api_rows, client):
    response = client.get("/api/v1/results/?page_size=x", headers={"If-None-Match": "*"})
    assert response.status_code == 400


def test_error_messages_follow_the_request_language(api_rows, api_get):
    response = api_get("/api/v1/enterprises/", district="atlantis")
    assert "没有代码为 atlantis 的区" in response.data["error"]["fields"]["district"][0]


def test_a_large_id_in_the_address_is_not_found(api_rows, api_get):
    for pk in (str(2**70), "0", "abc"):
        response = api_get(f"/api/v1/results/{pk}/")
        assert response.status_code == 404
        assert response.data["error"]["code"] == "not_found"


# --- Cursor pagination -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["results", "categories", "warnings"])
def test_cursor_pages_walk_every_row_exactly_once(api_rows, api_get, name):
    expected = sorted(DATASETS[name].queryset().values_list("pk", flat=True))
    walked = every_id(api_get, f"/api/v1/{name}/", page_size=2)
    assert walked == expected  # in id order, none twice, none missing


def test_cursor_walk_backwards_and_page_size_limits(api_rows, api_get):
    first = api_get("/api/v1/categories/", page_size=3).data
    assert first["previous"] is None and len(first["results"]) == 3
    second = api_get(first["next"].removeprefix("http://testserver")).data
    back = api_get(second["previous"].removeprefix("http://testserver")).data
    assert back["results"] == first["results"]
    assert len(api_get("/api/v1/categories/", page_size=500).data["results"]) <= 500
    for wrong in ("501", "0", "abc", ""):
        response = api_get("/api/v1/categories/", page_size=wrong)
        assert response.status_code == 400, wrong
        assert response.data["error"]["code"] == "invalid_page_size"
    default = api_get("/api/v1/categories/").data["results"]
    assert len(default) == min(50, DATASETS["categories"].queryset().count())


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!",
        base64.b64encode(b"p=abc").decode(),  # a position that is not an id
        base64.b64encode(b"p=1&r=x").decode(),
    ],
)
def test_a_forged_cursor_is_a_400(api_rows, api_get, cursor):
    response = api_get("/api/v1/results/", cursor=cursor)
    assert response.status_code == 400
    assert response.data["error"]["code"] == "invalid_cursor"


# --- Discovery and schema ----------------------------------------------------------------------


def test_the_root_lists_every_dataset(api_rows, api_get):
    root = api_get("/api/v1/").data
    assert [d["name"] for d in root["datasets"]] == DATASET_NAMES
    assert root["datasets"][0]["url"] == "http://testserver/api/v1/enterprises/"
    assert root["schema"] == "http://testserver/api/schema/"


def test_the_schema_describes_every_endpoint_and_filter(api_get):
    schema = api_get("/api/schema/", format="json").data
    for name in DATASET_NAMES:
        for path in (f"/api/v1/{name}/", f"/api/v1/{name}/{{id}}/"):
            operation = schema["paths"][path]["get"]
            assert operation["tags"] == [name]
            assert operation["description"]
            assert {"200", "304", "429"} <= set(operation["responses"])
    results = schema["paths"]["/api/v1/results/"]["get"]
    parameters = {p["name"]: p for p in results["parameters"]}
    assert {"outcome", "district", "category", "gtin", "credit_code", "published_after"} <= set(
        parameters
    )
    assert parameters["outcome"]["schema"]["enum"] == ["fail", "pass", "referred"]
    assert all(p.get("description") for p in parameters.values())
    assert "/api/grading/v1/submissions/" in schema["paths"]  # the hook keeps every /api/ path
    assert not [path for path in schema["paths"] if not path.startswith("/api/")]


def test_every_field_has_a_help_text(api_rows):
    for dataset in DATASETS.values():
        for name, field in dataset.serializer_class().fields.items():
            assert field.help_text, f"{dataset.name}.{name}"


@override_settings(PORTAL_BASE_URL="https://anxin.example.gov.cn")
def test_records_serialise_without_a_request(api_rows, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        rows = list(DATASETS["results"].records())
    by_id = {row["id"]: row for row in rows}
    failed = by_id[api_rows.failed.pk]
    assert failed["url"] == f"https://anxin.example.gov.cn/api/v1/results/{api_rows.failed.pk}/"
    assert failed["html_url"] == "https://anxin.example.gov.cn/notices/api-notice/"
    assert api_rows.removed.pk not in by_id
    warnings = {row["id"]: row for row in DATASETS["warnings"].records()}
    magnetic = warnings[original(RiskWarningPage, slug="magnetic-toys").pk]
    assert magnetic["translations"]["en"].startswith("https://anxin.example.gov.cn/en/")


@override_settings(PORTAL_BASE_URL="", WAGTAILADMIN_BASE_URL="https://admin.example.gov.cn")
def test_without_a_portal_base_url_records_use_the_admin_base_url(api_rows):
    row = next(DATASETS["enterprises"].records())
    assert row["url"].startswith("https://admin.example.gov.cn/api/v1/enterprises/")


@pytest.mark.parametrize("path", ["nothing/", "results/1.5/", "results//", "results/%0A1/"])
def test_other_addresses_under_the_api_are_json_404s(api_rows, client, path):
    response = client.get(f"/api/v1/{path}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"

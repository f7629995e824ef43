"""Registry admin: listings filter and search; district editors stay in their district."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from portal.registry.models import District, Enterprise, Product
from tests.conftest import verified_login
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


def editor_with(*codenames, districts=()):
    user = UserFactory()
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(codename__in=codenames),
    )
    for code in districts:
        District.objects.get(code=code).editors.add(user)
    return user


@pytest.fixture
def two_districts():
    return (
        EnterpriseFactory(
            name="上海闵行童装有限公司", district=District.objects.get(code="minhang")
        ),
        EnterpriseFactory(
            name="上海松江书包有限公司", district=District.objects.get(code="songjiang")
        ),
    )


INDEX = "wagtailsnippets_registry_enterprise:list"
EDIT = "wagtailsnippets_registry_enterprise:edit"


def test_city_editor_lists_filters_and_searches_all(client, two_districts):
    verified_login(client, editor_with("view_enterprise", "change_enterprise"))
    html = client.get(reverse(INDEX)).content.decode()
    assert "上海闵行童装有限公司" in html and "上海松江书包有限公司" in html
    searched = client.get(reverse(INDEX), {"q": "书包"}).content.decode()
    assert "上海松江书包有限公司" in searched and "上海闵行童装有限公司" not in searched
    minhang = District.objects.get(code="minhang")
    filtered = client.get(reverse(INDEX), {"district": minhang.pk}).content.decode()
    assert "上海闵行童装有限公司" in filtered and "上海松江书包有限公司" not in filtered


def test_district_editor_sees_and_changes_only_their_district(client, two_districts):
    minhang_firm, songjiang_firm = two_districts
    verified_login(
        client, editor_with("view_enterprise", "change_enterprise", districts=["minhang"])
    )
    html = client.get(reverse(INDEX)).content.decode()
    assert "上海闵行童装有限公司" in html and "上海松江书包有限公司" not in html
    assert client.get(reverse(EDIT, args=[minhang_firm.pk])).status_code == 200
    # Wagtail answers a refused permission with a redirect to the dashboard and a message.
    refused = client.get(reverse(EDIT, args=[songjiang_firm.pk]))
    assert (refused.status_code, refused.url) == (302, "/admin/")
    response = client.post(reverse(EDIT, args=[songjiang_firm.pk]), {"name": "改名"})
    assert (response.status_code, response.url) == (302, "/admin/")
    assert Enterprise.objects.get(pk=songjiang_firm.pk).name == "上海松江书包有限公司"


def test_district_editor_cannot_move_an_enterprise_to_another_district(client, two_districts):
    minhang_firm, _ = two_districts
    verified_login(
        client, editor_with("view_enterprise", "change_enterprise", districts=["minhang"])
    )
    songjiang = District.objects.get(code="songjiang")
    response = client.post(
        reverse(EDIT, args=[minhang_firm.pk]),
        {
            "name": minhang_firm.name,
            "uscc": minhang_firm.uscc,
            "district": songjiang.pk,
            "former_names": "[]",
            "supervision_class": "B",
        },
    )
    assert response.status_code == 200  # the form is shown again with the error
    assert "district" in response.context["form"].errors
    assert Enterprise.objects.get(pk=minhang_firm.pk).district.code == "minhang"


@pytest.mark.parametrize("malformed", ["abc", "1.5", "9" * 30, "<script>"])
def test_a_malformed_chosen_id_is_a_form_error_not_a_server_error(client, malformed):
    """Wagtail's choosers look a re-shown value up as an id; a malformed one must not crash."""
    verified_login(client, editor_with("add_product", "view_product"))
    response = client.post(
        reverse("wagtailsnippets_registry_product:add"),
        {"name": "儿童连衣裙", "brand": "童乐", "manufacturer": malformed, "category": malformed},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "manufacturer" in errors
    assert not Product.objects.exists()

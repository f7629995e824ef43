"""The demo home page, and the commands `make run` uses to set the portal up."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from content.models import HomePage
from portal.core.management.commands import ensure_dev_admin


@pytest.fixture
def demo_site(db):
    call_command("load_demo", "--scale", "0")


def test_demo_data_can_be_loaded_twice(demo_site):
    call_command("load_demo", "--scale", "0")
    assert HomePage.objects.count() == 1
    assert HomePage.objects.get().get_site().is_default_site


def test_home_page_is_chinese_first_and_accessible(client, demo_site):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "<h1>安心 · 产品质量安全信息公开</h1>" in html
    assert 'href="#main">跳到主要内容</a>' in html
    assert '<main id="main"' in html


def test_home_page_follows_the_browser_language(client, demo_site):
    html = client.get("/", headers={"accept-language": "zh-Hant"}).content.decode()
    assert '<html lang="zh-hant">' in html
    assert "跳到主要內容" in html


def test_dev_admin_is_refused_outside_debug(db):
    with pytest.raises(CommandError, match="development only"):
        call_command("ensure_dev_admin")


def test_dev_admin_keeps_its_password_across_runs(db, settings, tmp_path, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr(ensure_dev_admin, "CREDENTIALS_FILE", tmp_path / ".dev-admin")
    call_command("ensure_dev_admin")
    password = (tmp_path / ".dev-admin").read_text().strip()
    call_command("ensure_dev_admin")
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password(password)

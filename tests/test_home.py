"""The demo home page, and the commands `make run` uses to set the portal up."""

import io

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from content.models import HomePage
from portal.core.management.commands import ensure_dev_admin, runserver
from tests.pages import original


@pytest.fixture
def demo_site(db):
    call_command("load_demo", "--scale", "0")


def test_demo_data_can_be_loaded_twice(demo_site):
    call_command("load_demo", "--scale", "0")
    assert HomePage.objects.count() == len(settings.LANGUAGES)  # one tree per language
    assert original(HomePage).get_site().is_default_site


def test_home_page_is_chinese_first_and_accessible(client, demo_site):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "<h1>安心 · 产品质量安全信息公开</h1>" in html
    assert 'href="#main">跳到主要内容</a>' in html
    assert '<main id="main"' in html


def test_each_language_has_its_own_address(client, demo_site):
    """Simplified Chinese at the root whatever the browser asks for (no redirects a search
    engine or a shared link would trip on); the other languages under their prefix."""
    assert '<html lang="zh-hans">' in client.get("/", headers={"accept-language": "en"}).text
    html = client.get("/zh-hant/").content.decode()
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


def test_runserver_names_the_admin_just_before_its_server_line(db, settings, tmp_path, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr(ensure_dev_admin, "CREDENTIALS_FILE", tmp_path / ".dev-admin")
    quiet = io.StringIO()
    call_command("ensure_dev_admin", verbosity=0, stdout=quiet)
    assert not quiet.getvalue()  # make run's `ensure_dev_admin -v 0`: runserver says it
    password = (tmp_path / ".dev-admin").read_text().strip()
    out = io.StringIO()
    server = runserver.Command(stdout=out, no_color=True)
    server.addr, server._raw_ipv6, server.protocol = "127.0.0.1", False, "http"
    server.on_bind(8765)
    lines = out.getvalue().splitlines()
    admin = lines.index(
        f"Development admin: http://127.0.0.1:8765/admin/  user: admin  password: {password}"
    )
    # Then Django's own block: the date, the version, and the server line.
    assert lines[admin + 3] == "Starting development server at http://127.0.0.1:8765/"

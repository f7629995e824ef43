"""The demo site (from the content tests' fixtures) and helpers to subscribe and confirm."""

import re

import pytest
from django.core import mail

from portal.subscriptions.models import Subscription
from tests.content.conftest import demo_pages, make_notice, make_warning, site  # noqa: F401

CONFIRM_LINK = re.compile(r"http://127\.0\.0\.1:8000(/(?:en/|zh-hant/)?subscribe/confirm/[^/\s]+/)")


@pytest.fixture(autouse=True)
def no_demo_subscriptions(request):
    """The demo site comes with two subscriptions; each test starts without them."""
    if "site" in request.fixturenames:
        request.getfixturevalue("site")
        Subscription.objects.all().delete()


def confirm_path(message) -> str:
    return CONFIRM_LINK.search(message.body).group(1)


@pytest.fixture
def subscribe(client):
    """Subscribe through the form and confirm through the emailed link; returns the emails
    received for it (the confirmation)."""

    def run(email, prefix="", confirm=True, **fields):
        data = {"email": email, "frequency": "immediate", **fields}
        response = client.post(f"{prefix}/subscribe/", data)
        assert response.status_code == 303, response.content.decode()[:2000]
        message = mail.outbox[-1]
        assert message.to == [email]
        if confirm:
            assert client.post(confirm_path(message)).status_code == 200
        return message

    return run

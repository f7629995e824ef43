"""Consumer report fixtures: a private photo folder per test, a clean cache, form data with a
question that was shown a minute ago and its right answer."""

from __future__ import annotations

import time
import uuid

import pytest
from django.core.cache import cache
from django.utils import translation

from portal.reports import challenge
from tests.e2e.conftest import axe_violations, browser, page  # noqa: F401 (browser tests)


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.REPORTS_PRIVATE_ROOT = tmp_path / "private"
    return settings.REPORTS_PRIVATE_ROOT


@pytest.fixture(autouse=True)
def default_language(settings):
    """A request under /en/ leaves English active in the thread; `reverse` would follow it."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def clean_cache():
    """Rate-limit counts, duplicate claims and spent questions belong to one test."""
    cache.clear()


@pytest.fixture
def redis_cache(settings):
    """Production's shared Redis cache, under a key prefix no other test run uses."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.CELERY_BROKER_URL,
            "KEY_PREFIX": f"anxin-test-{uuid.uuid4().hex[:10]}",
        }
    }


@pytest.fixture
def report_data():
    """POST data of a valid report; each call answers a new question shown 60 s earlier."""

    def make(**overrides) -> dict:
        question = challenge.issue(now=time.time() - 60)
        return {
            "product_text": "贝乐儿童保温杯 350ml",
            "gtin": "",
            "enterprise_text": "",
            "problem": "hazard",
            "description": "杯盖的硅胶密封圈使用一周后脱落，孩子差点误吞。",
            "purchased_on": "2026-10-01",
            "purchase_place": "上海市闵行区七宝万科广场某母婴店",
            "district": "",
            "contact_name": "王小明",
            "contact_phone": "13812345678",
            "contact_email": "wang.xiaoming@example.invalid",
            "challenge": question.token,
            "answer": str(question.answer),
            "website": "",
            **overrides,
        }

    return make


@pytest.fixture
def quick_fill(monkeypatch):
    """A browser test types faster than people; the minimum fill time has its own test."""
    monkeypatch.setattr(challenge, "MIN_FILL_SECONDS", 0)

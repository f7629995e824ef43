"""Partners, their keys and feeds, and a real HTTP server that plays a partner's feed."""

from __future__ import annotations

import base64
import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from portal.exchange import signing
from portal.exchange.models import Algorithm, Partner
from tests.content.conftest import demo_pages, make_notice, make_warning, site  # noqa: F401

ZJ_SECRET = "zj-shared-secret-0123456789abcdefghijklmnopqrstuv"


def public_key_text(key: Ed25519PrivateKey) -> str:
    return base64.b64encode(signing.raw_public(key.public_key())).decode()


def ed25519_header(body: bytes, key: Ed25519PrivateKey, kid: str | None = None) -> str:
    kid = kid or signing.key_id(key.public_key())
    return f"alg=ed25519, kid={kid}, sig={base64.b64encode(key.sign(body)).decode()}"


def warning_item(n: int = 1, region: str = "js", **fields) -> dict:
    """A warning as 江苏 would send it."""
    return {
        "id": f"{region}:warning:{n}",
        "type": "warning",
        "modified": "2026-11-20T09:30:00+08:00",
        "published_at": "2026-11-20T09:30:00+08:00",
        "url": f"https://scjgj.jiangsu.gov.cn/art/2026/11/20/art_{n}.html",
        "language": "zh-hans",
        "title": "关于电动自行车锂离子蓄电池热失控风险的消费警示",
        "summary": "抽查发现部分电动自行车用锂离子蓄电池组过充保护失效，存在起火风险。",
        "kind": "warning",
        "risk_level": "high",
        "hazards": ["fire", "burns"],
        "category": "电动自行车",
        "body_html": "<p>2026年江苏省抽查电动自行车用锂离子蓄电池<strong>60批次</strong>，"
        "其中5批次过充电保护不合格。</p>",
        "consumer_advice_html": "<ul><li>不要在楼道、室内充电。</li></ul>",
        "affected_products": [
            {
                "name": "电动自行车用锂离子蓄电池",
                "brand": "锐能",
                "model": "48V20Ah",
                "batch": "2026年6月",
                "gtin": "6901234567892",
            }
        ],
        "updates": [{"date": "2026-11-22", "text": "涉事企业已启动召回。"}],
        "withdrawn_on": None,
        "withdrawal_reason": "",
        **fields,
    }


def result_item(n: int = 1, region: str = "js", **fields) -> dict:
    return {
        "id": f"{region}:result:{n}",
        "type": "failed_result",
        "modified": "2026-11-18T10:00:00+08:00",
        "notice_number": "苏市监质〔2026〕31号",
        "batch_title": "2026年江苏省儿童及婴幼儿服装产品质量省级监督抽查结果",
        "authority": "江苏省市场监督管理局",
        "published_on": "2026-11-18",
        "outcome": "fail",
        "sample_name": "女童连衣裙",
        "brand": "童趣",
        "model": "120cm",
        "lot": "2026-05-10",
        "producer_name": "苏州某某服饰有限公司",
        "producer_address": "江苏省苏州市吴江区盛泽镇",
        "producer_credit_code": "",
        "category": "儿童服装",
        "failed_items": [
            {"item": "绳带要求", "measured": "有自由端", "limit": "不允许", "safety": True}
        ],
        **fields,
    }


def feed_body(items=(), region="js", audience=None, since=None, issued_at=None, **fields) -> bytes:
    document = {
        "format": "anxin-exchange/1",
        "issuer": {"code": region, "name": "江苏省市场监督管理局", "name_en": "Jiangsu AMR"},
        "audience": audience,
        "issued_at": (issued_at or timezone.now()).isoformat(),
        "since": since,
        "next": "cursor-2",
        "has_more": False,
        "items": list(items),
        **fields,
    }
    return json.dumps(document, ensure_ascii=False).encode()


@pytest.fixture
def js_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


class FeedServer:
    """What the next requests get: a list of (status, headers, body); the last one repeats."""

    def __init__(self):
        self.responses: list[tuple[int, dict, bytes]] = []
        self.requests: list[dict] = []
        handler = self._handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/feed.json"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def serve(self, body: bytes, header: str | None, status: int = 200, **headers):
        if header:
            headers[signing.HEADER] = header
        self.responses.append((status, headers, body))

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(parse_qs(urlsplit(self.path).query))
                status, headers, body = (
                    server.responses.pop(0) if len(server.responses) > 1 else server.responses[0]
                )
                self.send_response(status)
                for name, value in {"Content-Length": str(len(body)), **headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def feed_server(settings):
    settings.EXCHANGE_ALLOW_HTTP = True
    server = FeedServer()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def jiangsu(db, js_key, feed_server) -> Partner:
    return Partner.objects.create(
        name="江苏省市场监督管理局",
        name_en="Jiangsu Administration for Market Regulation",
        region_code="js",
        feed_url=feed_server.url,
        algorithm=Algorithm.ED25519,
        public_keys=public_key_text(js_key),
    )


@pytest.fixture
def zhejiang(db, feed_server) -> Partner:
    partner = Partner(
        name="浙江省市场监督管理局",
        name_en="Zhejiang Administration for Market Regulation",
        region_code="zj",
        feed_url=feed_server.url,
        algorithm=Algorithm.HMAC_SHA256,
    )
    partner.set_secret(ZJ_SECRET)
    partner.save()
    return partner


def minutes_ago(minutes: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=minutes)

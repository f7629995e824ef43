"""Every public address, in every language, with malformed, huge, repeated and non-UTF-8 query
parameters: none may answer 5xx.

The addresses come from the URL resolver and the demo page tree (`routes.py`), so a new route
is fuzzed as soon as it exists; one with converters fails `test_every_route_is_fuzzed` until
`routes.SAMPLES` knows how to fill it. The cases are the same on every run (a fixed seed):
a fixed set that every address gets, and a sample of random mixtures.
"""

from __future__ import annotations

import random
from urllib.parse import quote

import pytest
from django.test import Client

from . import routes

#: Parameter names the public pages read (listing filters, lookup, trace, feeds, subscribe,
#: pagination, sitemap, exchange), and names no page reads.
NAMES = [
    "page", "year", "level", "category", "hazard", "kind", "region", "q", "sort", "code",
    "district", "enterprise", "outcome", "brand", "product", "status", "p", "since", "limit",
    "next", "latest_outcome", "grade", "supervision_class", "lang", "x",
]  # fmt: skip
LONG_CHINESE = "磁性玩具小零件被儿童误吞" * 420  # 5,040 characters
#: Values as they go into the query string: already percent-encoded, some not valid UTF-8.
VALUES = [
    "abc", "-1", "0", "1.5", "1e9", "2019", "1", "%C2%B2", "%D9%A3", "a" * 5000, "%FF",
    "%C0%AF", "%00", "abc%00", "%FF%FE%00", "%25", "+", "%20%20",
    "%3Cscript%3E", "%27%22", "failed", "fail", "minhang", "91310000MA1FL0XX0X", "../..",
    "%E0%A4%A", "%", "&", "=",
]  # fmt: skip
HUGE = ["9" * 5000, quote(LONG_CHINESE)]
SEED = 17
SAMPLED_CASES = 4


def fixed_cases() -> list[str]:
    """What every address gets: each kind of malformed value in every parameter at once,
    huge values (5,000 characters) in the parameters pages read most, and one parameter
    repeated many times."""
    malformed = ["abc", "%00", "%FF", "%C0%AF", "-1"]
    cases = ["&".join(f"{name}={value}" for name in NAMES) for value in malformed]
    cases += [f"page=2&q={huge}&category={huge}&code={huge}" for huge in HUGE]
    cases.append("&".join(f"page=%FF{n}&category={n}" for n in range(200)))
    cases.append("%FF=%FF&%00&=&&q")
    return cases


def sampled_cases(rng: random.Random) -> list[str]:
    """Random mixtures: a few parameters, each with a value from `VALUES`, some repeated."""
    cases = []
    for _ in range(SAMPLED_CASES):
        names = rng.sample(NAMES, rng.randint(1, 5))
        pairs = [f"{name}={rng.choice(VALUES)}" for name in names for _ in range(rng.randint(1, 3))]
        cases.append("&".join(pairs))
    return cases


def test_every_route_is_fuzzed(site):
    missing = routes.unsampled()
    assert not missing, f"add these routes to tests/public/routes.py SAMPLES: {missing}"


def test_no_public_address_answers_5xx(site, capsys):
    client = Client(raise_request_exception=False)
    rng = random.Random(SEED)
    addresses = routes.public_addresses()
    failures, requests = [], 0
    for address in addresses:
        for case in fixed_cases() + sampled_cases(rng):
            response = client.get(f"{address}?{case}")
            requests += 1
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {address}?{case[:120]}")
    with capsys.disabled():
        print(f"\nHTML fuzz: {len(addresses)} addresses, {requests} requests, {len(failures)} 5xx")
    assert not failures, "\n".join(failures[:30])


@pytest.mark.parametrize("language", routes.LANGUAGE_PREFIXES)
def test_known_500s_now_answer_with_a_note(site, client, language):
    """The addresses of issue 17: the listing answers, shows everything, and says why."""
    for path in ("notices/?year=abc", "notices/?category=abc", "warnings/?category=abc",
                 "education/?category=abc", "notices/?year=%00&page=%FF"):  # fmt: skip
        response = client.get(f"/{language}{path}")
        assert response.status_code == 200, path
        assert 'class="params-note' in response.content.decode(), path

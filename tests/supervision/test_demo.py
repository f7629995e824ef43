"""`manage.py load_demo` brings a believable supervision demo, once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from portal.supervision import algorithm
from portal.supervision.draws import public_document
from portal.supervision.models import CapabilityAssessment, Draw, Inspector

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", "--scale", "0.02", stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Inspector, Draw, CapabilityAssessment))


def test_the_demo_has_inspectors_a_drawn_and_a_committed_draw_and_assessments(client):
    out = load_demo()
    assert Inspector.objects.count() == 16
    drawn = Draw.objects.get(state=Draw.State.DRAWN)
    committed = Draw.objects.get(state=Draw.State.COMMITTED)
    assert f"Demo draw {drawn.reference}" in out
    assert drawn.drawn_at.year == 2019 and drawn.result["selected"]
    assert committed.previous_draw == drawn
    assert algorithm.verify(public_document(drawn))[1] == []
    assert CapabilityAssessment.objects.filter(
        enterprise__supervision_class__in=["A", "B"]
    ).exists()
    html = client.get(drawn.get_absolute_url()).content.decode()
    assert drawn.seed in html and "沪市监" in html
    assert committed.seed not in client.get(committed.get_absolute_url()).content.decode()


def test_a_second_run_adds_nothing():
    load_demo()
    before = counts()
    load_demo()
    assert counts() == before

"""`manage.py verify_draw draw-12.json` or `manage.py verify_draw --draw 12`.

Re-runs a published draw from its seed and inputs and checks the commitment, the inputs digest
and the result: the same check `anxin_draw.py` gives citizens, from a file or from the
database.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from portal.supervision import algorithm
from portal.supervision.draws import public_document
from portal.supervision.models import Draw


class Command(BaseCommand):
    help = "Check a published double-random draw: commitment, inputs digest and result."

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("file", nargs="?", help="a draw record downloaded as JSON")
        source.add_argument("--draw", type=int, help="the id of a committed or drawn draw")

    def handle(self, *args, file=None, draw=None, **options):
        if file:
            try:
                with open(file, encoding="utf-8") as handle:
                    document = json.load(handle)
            except (OSError, ValueError) as error:
                raise CommandError(f"Cannot read {file}: {error}") from error
        else:
            found = Draw.objects.filter(pk=draw).exclude(state=Draw.State.DRAFT).first()
            if found is None:
                raise CommandError(f"No committed or drawn draw with id {draw}.")
            document = public_document(found)
        checked, problems = algorithm.verify(document)
        for line in checked:
            self.stdout.write(self.style.SUCCESS(f"OK    {line}"))
        if problems:
            raise CommandError("\n".join(f"WRONG {line}" for line in problems))

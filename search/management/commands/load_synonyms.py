"""Add the groups of a synonyms file (the shipped one by default) that are not there yet."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from search.models import SynonymGroup
from search.synonyms import SHIPPED, bump_version, load_groups, read_dictionary


class Command(BaseCommand):
    help = (
        "Load synonym groups from a Solr-style file (one group a line, comma-separated terms, "
        "# comments). Groups with a term that is already in a group are skipped, so editors' "
        "changes stay and the command can run after every deploy."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=SHIPPED, help="default: %(default)s")

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"No synonyms file at {file}.")
        try:
            groups = read_dictionary(file)
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(f"Nothing loaded: {error}") from error
        with transaction.atomic():
            created, skipped = load_groups(SynonymGroup, groups)
            transaction.on_commit(bump_version)
        self.stdout.write(self.style.SUCCESS(f"{created} synonym groups added, {skipped} skipped."))

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup set into an empty database and empty file trees, then the search "
        "engine from its snapshot (or a rebuild from the database)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="A directory written by `backup`.")

    def handle(self, *args, source, **options):
        try:
            done = restore_backup(source)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for line in done:
            self.stdout.write(line)
        self.stdout.write(f"Restored {source}")

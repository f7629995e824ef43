from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.core.backup import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Write a backup set (PostgreSQL dump, engine snapshot, media and open-data files, "
        "SHA-256 manifest)."
    )

    def add_arguments(self, parser):
        parser.add_argument("target", type=Path, help="A new or empty directory.")

    def handle(self, *args, target, **options):
        try:
            manifest, skipped = write_backup(target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for reason in skipped:
            self.stderr.write(f"Not in the set: {reason}")
        self.stdout.write(f"Backed up {len(manifest['files'])} files to {target}")

from django.core.management.base import BaseCommand

from portal.opendata import exports


class Command(BaseCommand):
    help = "Write a new generation of the open data exports (CSV and JSON Lines) and publish it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing when a generation is already published (a second `make run`).",
        )

    def handle(self, *args, if_missing: bool, **options):
        if if_missing and exports.read_manifest() is not None:
            self.stdout.write("Open data exports already published; skipped.")
            return
        manifest = exports.export_all()
        for entry in manifest["datasets"]:
            self.stdout.write(f"{entry['name']}: {entry['rows']} rows")
        self.stdout.write(f"Published {manifest['generation']} in {exports.root()}")

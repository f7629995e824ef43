from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from portal.registry.models import Enterprise, Product
from search import engine, indexing


class Command(BaseCommand):
    help = (
        "Build a new lookup index from the database beside the live one, then swap the alias "
        "to it: searches keep answering from the old index until the new one is complete."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-available",
            action="store_true",
            help="skip quietly when no engine answers (make run on a laptop without one)",
        )
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="skip when the live index has this code's definition and every object",
        )

    def handle(self, *args, **options):
        if options["if_available"]:
            try:
                engine.engine_info()
            except engine.WrongEngine as error:
                self.stderr.write(str(error))
                return
            except engine.ENGINE_ERRORS:
                self.stdout.write("No search engine answers; search uses the database.")
                return
        total = Enterprise.objects.count() + Product.objects.count()
        try:
            if options["if_stale"] and indexing.is_current(total):
                self.stdout.write(f"The lookup index is current ({total} documents).")
                return
            with tqdm(total=total, unit="doc", disable=options["verbosity"] == 0) as bar:
                name = indexing.rebuild(progress=lambda done: bar.update(done - bar.n))
        except engine.ENGINE_ERRORS as error:
            raise CommandError(f"The search engine refused or did not answer: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"{total} documents in {name}; alias swapped."))

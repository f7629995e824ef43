from django.core.management.base import BaseCommand, CommandError

from portal.core import personal_data


class Command(BaseCommand):
    help = (
        "Re-encrypt every personal-data value under the first key of PERSONAL_DATA_KEYS, in "
        "chunks; rows already under it are skipped, so an interrupted run can be started again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=500, help="Rows per transaction.")

    def handle(self, *args, chunk: int, **options):
        if chunk < 1:
            raise CommandError("--chunk must be at least 1")
        for model, names in personal_data.encrypted_models():
            read = rewritten = 0
            for batch_read, batch_rewritten in personal_data.rotate(model, names, chunk):
                read += batch_read
                rewritten += batch_rewritten
            self.stdout.write(
                f"{model._meta.label}: {rewritten} of {read} rows re-encrypted ({', '.join(names)})"
            )

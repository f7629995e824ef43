from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from portal.inspections.importing import BatchDetails, run_import
from portal.inspections.importing.fidelity import SKIP_REASONS
from portal.inspections.models import SpotCheckBatch


class Command(BaseCommand):
    help = (
        "Import a published spot-check result table (XLSX, XLS, CSV, Word .docx or a text PDF) "
        "into a batch. "
        "The whole file lands or nothing does; --dry-run only reports what would change."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="preview only, write nothing")
        parser.add_argument(
            "--notice", required=True, help="notice number, e.g. 沪市监质〔2019〕12号"
        )
        parser.add_argument("--title", help="notice title (default: the file name)")
        parser.add_argument("--authority", default="上海市市场监督管理局")
        parser.add_argument("--year", type=int, help="year of the check (default: this year)")
        parser.add_argument("--level", choices=SpotCheckBatch.Level.values, default="city")
        parser.add_argument("--published-on", type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--district", default="", help="district code, for district checks")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        details = BatchDetails(
            notice_number=options["notice"],
            title=options["title"] or path.stem,
            authority=options["authority"],
            year=options["year"] or date.today().year,
            level=options["level"],
            published_on=options["published_on"],
            district=options["district"],
        )
        with path.open("rb") as fileobj, tqdm(unit="row", disable=options["verbosity"] == 0) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            report = run_import(
                fileobj, path.name, details, commit=not options["dry_run"], on_progress=progress
            )
        self._print(report, dry_run=options["dry_run"])
        if not report.ok and not report.duplicate_of:
            raise CommandError("Nothing was imported: the file has errors (listed above).")

    def _print(self, report, *, dry_run: bool) -> None:
        out = self.stdout
        if report.duplicate_of:
            what = "Same content as" if report.same_content else "Already imported as"
            out.write(self.style.WARNING(f"{what} {report.duplicate_of}; nothing to do."))
            return
        if report.file_error:
            error = report.file_error
            where = ", ".join(
                f"{k} {error[k]}" for k in ("row", "column") if error.get(k) is not None
            )
            out.write(self.style.ERROR(f"{error['reason_zh']} / {error['reason_en']} {where}"))
        for problems, count, style, kind in (
            (report.errors, report.error_count, self.style.ERROR, "errors"),
            (report.warnings, report.warning_count, self.style.WARNING, "warnings"),
        ):
            for problem in problems:
                out.write(
                    style(
                        f"row {problem['row']}, column {problem['column']}, "
                        f"value {problem['value']!r}: {problem['reason_zh']} / "
                        f"{problem['reason_en']}"
                    )
                )
            if count > len(problems):
                out.write(f"… and {count - len(problems)} more {kind}")
        for ambiguity in report.ambiguous:
            out.write(
                self.style.WARNING(
                    f"rows {ambiguity['rows']}: producer {ambiguity['name']!r} matches several "
                    f"enterprises {ambiguity['candidates']}; left for an editor to resolve"
                )
            )
        verb = "would be" if dry_run or not report.ok else "were"
        out.write(
            f"{report.rows} rows, {report.samples} samples: {report.created} {verb} created, "
            f"{report.updated} updated, {report.unchanged} unchanged, {report.removed} removed; "
            f"{report.enterprises_created} new enterprises, "
            f"{report.agencies_created} new agencies, {report.barcodes_created} new barcodes."
        )
        if report.skipped:
            reasons = ", ".join(
                f"{count} {SKIP_REASONS[reason][1]}" for reason, count in report.skipped.items()
            )
            out.write(f"{report.skipped_count} rows skipped: {reasons}.")
        if report.ok and not dry_run:
            out.write(self.style.SUCCESS(f"Imported as version {report.version}."))

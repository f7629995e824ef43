"""From uploaded bytes to a stream of (row number, cell texts): the upload's size and hash,
the choice of format, and CSV. XLSX, .xls, .docx and PDF have a module each.

The format is decided by content, not by the file name: uploads named .xls are often CSV, HTML
or the real legacy format. Rows are streamed (csv over a line generator; openpyxl read-only;
Word XML parsed incrementally; PDF page by page), so memory stays flat for 100,000+ rows. Size
is checked before any parsing.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from . import pdf, word, xls
from .errors import SpreadsheetError
from .sources import Row, Source, empty, not_a_spreadsheet, too_large
from .xlsx import open_xlsx
from .zips import zip_kind

CHUNK = 64 * 1024
SNIFF_BYTES = 1024 * 1024
SPOOL_IN_MEMORY = 8 * 1024 * 1024
_DELIMITERS = (",", "\t", ";")
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG 图片", "a PNG image"),
    (b"\xff\xd8\xff", "JPEG 图片", "a JPEG image"),
    (b"GIF87a", "GIF 图片", "a GIF image"),
    (b"GIF89a", "GIF 图片", "a GIF image"),
    (b"{\\rtf", "RTF 文档", "an RTF document"),
)
_MARKUP = ("<!doctype", "<html", "<?xml", "<table", "<head", "<meta", "mime-version:")
_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "gb18030": "GB18030/GBK"}


@dataclass
class Upload:
    """The uploaded bytes in a seekable file, with their size, SHA-256 and line count."""

    file: BinaryIO
    size: int
    sha256: str
    lines: int
    owned: bool

    def close(self) -> None:
        if self.owned:
            self.file.close()


def read_upload(fileobj: BinaryIO, max_bytes: int) -> Upload:
    """Check the size first (without reading a byte when the file can tell), then hash and
    count lines in one pass. A stream that cannot seek is spooled to a temporary file."""
    seekable = getattr(fileobj, "seekable", None)
    owned = not (seekable and seekable())
    if owned:
        target: BinaryIO = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    else:
        fileobj.seek(0, io.SEEK_END)
        if fileobj.tell() > max_bytes:
            raise too_large(max_bytes)
        fileobj.seek(0)
        target = fileobj
    digest = hashlib.sha256()
    size = line_feeds = returns = 0
    last = b""
    try:
        while chunk := fileobj.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise too_large(max_bytes)
            digest.update(chunk)
            line_feeds += chunk.count(b"\n")
            returns += chunk.count(b"\r")
            last = chunk[-1:]
            if owned:
                target.write(chunk)
    except BaseException:
        if owned:
            target.close()
        raise
    target.seek(0)
    lines = max(line_feeds, returns) + (1 if last not in (b"", b"\n", b"\r") else 0)
    return Upload(target, size, digest.hexdigest(), lines, owned)


def open_source(upload: Upload, max_bytes: int) -> Source:
    """Decide the format by content (not by the file name) and start streaming rows."""
    if upload.size == 0:
        raise empty()
    head = upload.file.read(16)
    upload.file.seek(0)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if zip_kind(upload.file, max_bytes) == "docx":
            return word.open_docx(upload.file)
        return open_xlsx(upload.file)
    if head.startswith(xls.OLE_MAGIC):
        return xls.open_xls(upload.file)
    if head.startswith(b"%PDF"):
        return pdf.open_pdf(upload.file)
    for magic, what_zh, what_en in _MAGIC:
        if head.startswith(magic):
            raise not_a_spreadsheet(what_zh, what_en)
    return _open_csv(upload)


# ---------------------------------------------------------------------------------------------
# CSV


class _Undecodable(Exception):
    def __init__(self, data: bytes, encoding: str) -> None:
        super().__init__(encoding)
        self.data = data
        self.encoding = encoding


def _physical_lines(file: BinaryIO) -> Iterator[bytes]:
    """Byte lines ending in \\n, \\r\\n or a lone \\r (old Mac Excel); safe for UTF-8 and
    GB18030, whose multi-byte sequences never contain those bytes."""
    carry = b""
    while chunk := file.read(CHUNK):
        parts = (carry + chunk).splitlines(keepends=True)
        carry = parts.pop()
        yield from parts
    if carry:
        yield carry


def _looks_like_utf8_text(line: bytes) -> bool:
    """A line that is valid UTF-8 with several Chinese characters: in a GB18030 file this is
    a pasted UTF-8 row, which GB18030 would decode without error into nonsense."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return sum("\u4e00" <= char <= "\u9fff" for char in text) >= 3


def _decoded_lines(file: BinaryIO, encoding: str) -> Iterator[str]:
    first = True
    for line in _physical_lines(file):
        codec = "utf-8-sig" if first and encoding == "utf-8-sig" else encoding.removesuffix("-sig")
        first = False
        if encoding == "gb18030" and not line.isascii() and _looks_like_utf8_text(line):
            raise _Undecodable(b"", "gb18030-utf8")
        try:
            text = line.decode(codec)
        except UnicodeDecodeError as exc:
            raise _Undecodable(line[exc.start : exc.start + 4], encoding) from exc
        yield text


def _encoding_error(row: int, failure: _Undecodable) -> SpreadsheetError:
    if failure.encoding == "gb18030-utf8":
        return SpreadsheetError(
            "encoding",
            f"第{row}行是 UTF-8 编码，而文件其余部分是 GB18030/GBK 编码：文件混用了两种编码；"
            "请在 Excel 或 WPS 中统一另存为“CSV UTF-8”后再上传",
            f"Row {row} is UTF-8 while the rest of the file is GB18030/GBK: the file mixes "
            "encodings; save it again as “CSV UTF-8” in Excel or WPS",
            row=row,
        )
    name = _ENCODING_NAMES[failure.encoding]
    shown = " ".join(f"{byte:02X}" for byte in failure.data)
    return SpreadsheetError(
        "encoding",
        f"第{row}行无法按 {name} 解码（字节 {shown}）：文件可能混用了多种编码（如 UTF-8 与 GBK）；"
        "请在 Excel 或 WPS 中统一另存为“CSV UTF-8”后再上传",
        f"Row {row} cannot be decoded as {name} (bytes {shown}): the file seems to mix "
        "encodings (e.g. UTF-8 and GBK); save it again as “CSV UTF-8” in Excel or WPS",
        row=row,
    )


def _is_binary(sample: bytes) -> bool:
    controls = sum(
        (byte < 0x20 and byte not in (0x09, 0x0A, 0x0D)) or byte == 0x7F for byte in sample
    )
    return b"\x00" in sample or controls > len(sample) // 100


def _sniff_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030 (a superset of GBK), decided by the first line
    that is not plain ASCII; later lines are decoded strictly as they stream."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    lines = sample.splitlines()
    complete = len(sample) < SNIFF_BYTES or sample.endswith((b"\n", b"\r"))
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        final = complete or number < len(lines)
        for encoding in ("utf-8", "gb18030"):
            try:
                codecs.getincrementaldecoder(encoding)().decode(line, final=final)
            except UnicodeDecodeError:
                continue
            return encoding
        raise SpreadsheetError(
            "encoding",
            f"第{number}行既不是 UTF-8 也不是 GB18030/GBK 编码；请另存为“CSV UTF-8”后再上传",
            f"Line {number} is neither UTF-8 nor GB18030/GBK; save the file as “CSV UTF-8”",
            row=number,
        )
    return "utf-8"


def _sniff_delimiter(text: str) -> str:
    """Comma, tab or semicolon: whichever separates the most fields in the first lines. A title
    row has one field whatever the delimiter, so it does not sway the choice."""
    lines = text.splitlines()[:50]
    best, best_count = ",", 0
    for delimiter in _DELIMITERS:
        try:
            count = sum(len(cells) - 1 for cells in csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _open_csv(upload: Upload) -> Source:
    sample = upload.file.read(SNIFF_BYTES)
    upload.file.seek(0)
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SpreadsheetError(
            "encoding",
            "文件是 UTF-16（Excel“Unicode 文本”）编码；请另存为“CSV UTF-8”后再上传",
            "The file is UTF-16 (Excel “Unicode text”); save it as “CSV UTF-8” instead",
        )
    if _is_binary(sample[:CHUNK]):
        raise not_a_spreadsheet("二进制文件", "a binary file")
    encoding = _sniff_encoding(sample)
    text = sample.decode(encoding, errors="replace")
    if text.lstrip().lower().startswith(_MARKUP):
        raise not_a_spreadsheet(
            "网页（HTML）或 XML 文件（常见于系统导出的“.xls”）",
            "a web page (HTML) or XML file (often what systems export as “.xls”)",
        )
    delimiter = _sniff_delimiter(text)

    def rows() -> Iterator[Row]:
        reader = csv.reader(_decoded_lines(upload.file, encoding), delimiter=delimiter)
        number = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except _Undecodable as exc:
                raise _encoding_error(number + 1, exc) from exc
            except csv.Error as exc:
                raise SpreadsheetError(
                    "malformed",
                    f"第{number + 1}行不是有效的 CSV：{exc}",
                    f"Row {number + 1} is not valid CSV: {exc}",
                    row=number + 1,
                ) from exc
            number += 1
            yield number, cells

    return Source("csv", rows(), upload.lines, encoding, delimiter)

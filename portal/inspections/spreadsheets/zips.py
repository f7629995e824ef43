"""Zip-based uploads (XLSX workbooks and Word documents): what they are, and whether they are
safe to unpack, decided from the zip's central directory before any part is read.

The declared sizes can be trusted as a bound: `zipfile` never returns more bytes than a member
declares (and fails its CRC check if the data was longer), so summing them first stops a zip
bomb before a byte is inflated.
"""

from __future__ import annotations

import zipfile
from typing import BinaryIO

from .errors import SpreadsheetError
from .sources import macros, not_a_spreadsheet

# Refuse an archive whose parts unpack to more than this many times the upload size limit.
MAX_UNPACKED_RATIO = 20


def zip_kind(file: BinaryIO, max_bytes: int) -> str:
    """ "xlsx" or "docx"; anything else, or an archive too large once unpacked, is refused."""
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise not_a_spreadsheet("损坏的压缩文件", "a damaged zip archive") from exc
    finally:
        file.seek(0)
    if sum(member.file_size for member in members) > max_bytes * MAX_UNPACKED_RATIO:
        raise SpreadsheetError(
            "too_large",
            "文件解压后过大（可能是压缩炸弹），未读取其内容；"
            "请删除多余的工作表、图片和格式后再上传",
            "The file unpacks to far too much data (possibly a zip bomb) and was not read; "
            "remove extra sheets, pictures and formatting and upload again",
        )
    names = {member.filename for member in members}
    if "xl/workbook.bin" in names:
        raise not_a_spreadsheet("Excel 二进制工作簿（.xlsb）", "an Excel binary workbook (.xlsb)")
    if "mimetype" in names and "content.xml" in names:
        raise not_a_spreadsheet(
            "OpenDocument 文件（.ods/.odt）", "an OpenDocument file (.ods/.odt)"
        )
    if "ppt/presentation.xml" in names:
        raise not_a_spreadsheet("PowerPoint 演示文稿", "a PowerPoint presentation")
    if "[Content_Types].xml" not in names:
        raise not_a_spreadsheet("压缩包（zip）", "a zip archive")
    if {"xl/vbaProject.bin", "word/vbaProject.bin"} & names:  # .xlsm / .docm
        raise macros()
    if "word/document.xml" in names:
        return "docx"
    return "xlsx"

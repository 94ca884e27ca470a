"""Office documents and PDFs given as articles, known by their signature.

What a newsroom hands over besides text and web pages is a Word file (the
reporter's draft, or the CMS's export) and sometimes a PDF (a print page).
A .docx is read with python-docx: its paragraphs are the article's lines,
the first one its title. A PDF's text layer is read with pypdf, with a
warning (a print layout may run columns together or split words at line
ends); a scanned PDF has no text to read. Every other office format is
named, with how to get text out of it: never read as text, never "binary
data" without a hint.
"""
from __future__ import annotations

import io
import zipfile

from .errors import ArticleError

PDF, DOCX = "pdf", "docx"


def document_kind(data: bytes) -> str | None:
    """'pdf' or 'docx' for what can be read, None for anything that is not an
    office document or a PDF; ArticleError, with a hint, for the formats that
    cannot be read here."""
    if data[:5] == b"%PDF-":
        return PDF
    if data[:4] == b"\xd0\xcf\x11\xe0":  # OLE2: Word 97-2003, Excel, PowerPoint
        raise ArticleError("it is an old Office document (.doc/.xls/.ppt): save it as .docx "
                           "or as plain text (UTF-8), then build that")
    if data[:5] == b"{\\rtf":
        raise ArticleError("it is an RTF document: save it as .docx or as plain text "
                           "(UTF-8), then build that")
    if data[:4] == b"PK\x03\x04":
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError):
            raise ArticleError("it is a ZIP archive, not an article") from None
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names or "ppt/presentation.xml" in names:
            raise ArticleError("it is a spreadsheet or a presentation, not an article: "
                               "copy the article's text into a .txt or .docx file")
        if "content.xml" in names:
            raise ArticleError("it is an OpenDocument file (.odt): save it as .docx or as "
                               "plain text (UTF-8), then build that")
        raise ArticleError("it is a ZIP archive, not an article")
    return None


MAX_UNPACKED = 40 * 1024 * 1024  # a book's text is a few MB of XML; more is a bomb


def docx_text(data: bytes) -> str:
    """A .docx's paragraphs in the order they stand (those in tables
    included), one per line. Its parts are measured unpacked first (a small
    file can unpack to gigabytes), and only paragraphs are read (python-docx's
    table model trusts a cell's column span, and a hostile span allocates
    for ever)."""
    try:
        import docx
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph
    except ImportError:  # a base install without the extra
        raise ArticleError("reading .docx needs python-docx: pip install python-docx") from None
    try:
        unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, ValueError):
        raise ArticleError("it is a damaged .docx (not a ZIP archive)") from None
    if unpacked > MAX_UNPACKED:
        raise ArticleError(f"it is a .docx that unpacks to {unpacked / 2**20:.0f} MB: "
                           f"too large (the limit is {MAX_UNPACKED // 2**20} MB)")
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        lines = [Paragraph(p, document).text for p in body.iter(qn("w:p"))]
    except Exception as e:  # python-docx and lxml raise many kinds for a damaged file
        raise ArticleError(f"it is a damaged .docx ({type(e).__name__})") from None
    return "\n\n".join(line.strip() for line in lines if line.strip())


def pdf_text(data: bytes) -> str:
    """A PDF's text layer, page by page."""
    try:
        import pypdf
    except ImportError:
        raise ArticleError("reading a PDF needs pypdf: pip install pypdf") from None
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ArticleError("it is an encrypted PDF: export the article as text instead")
        # layout mode: the plain mode splits Vietnamese words at their precomposed
        # letters ("N ộ i" for "Nội" from a browser-made PDF)
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except ArticleError:
        raise
    except Exception as e:  # pypdf raises many kinds for a damaged file
        raise ArticleError(f"it is a damaged PDF ({type(e).__name__})") from None
    text = "\n".join(pages).strip()
    if not text:
        raise ArticleError("it is a PDF without text (a scan): run OCR on it, or export the "
                           "article as text or HTML from the CMS")
    return text

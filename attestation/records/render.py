"""Renderers apart from content (pretix/base/invoice.py): one document dict (content.py) to
PDF (WeasyPrint) and to DOCX (python-docx). Both A4, numbered "1 / 3", in the document's
language, with its title, the university as author and the time it was made."""

from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone

from attestation.core.input import document_text

FONT = "DejaVu Sans"
# A4 portrait, 15 mm margins each side: the text is 180 mm wide.
TEXT_WIDTH_MM = 180


def pdf_render(document: dict) -> bytes:
    from weasyprint import HTML

    created = timezone.now().replace(microsecond=0).isoformat()
    html = render_to_string("records/document.html", {**document, "created": created})
    return HTML(string=html).write_pdf()


def docx_set_language(document, tag: str) -> None:
    """The language of every run (the styles' defaults): Word and LibreOffice hyphenate and
    spell-check by it, and do not take a Kazakh text for American English."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    targets = []
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
            targets.append(rpr_default.find(qn("w:rPr")))
    targets.append(document.styles["Normal"].element.get_or_add_rPr())
    for rpr in targets:
        for old in rpr.findall(qn("w:lang")):
            rpr.remove(old)
        lang = OxmlElement("w:lang")
        for attribute in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(attribute), tag)
        rpr.append(lang)


def docx_page_setup(document, *, landscape: bool = False, margin_cm: float = 1.5) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    for section in document.sections:
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21.0)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(margin_cm))


def docx_page_numbers(document) -> None:
    """A footer "1 / 3" from Word's PAGE and NUMPAGES fields."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def field(run, code: str) -> None:
        for kind, text in (
            ("begin", None),
            (None, code),
            ("separate", None),
            (None, "1"),
            ("end", None),
        ):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            elif text == code:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = f" {code} "
            else:
                element = OxmlElement("w:t")
                element.text = text
            run._r.append(element)

    for section in document.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        field(paragraph.add_run(), "PAGE")
        paragraph.add_run(" / ")
        field(paragraph.add_run(), "NUMPAGES")


def docx_metadata(document, meta: dict) -> None:
    properties = document.core_properties
    properties.title = meta["title"][:255]
    properties.author = meta["author"][:255]
    properties.last_modified_by = meta["author"][:255]
    properties.language = meta["language"]
    now = timezone.now().replace(microsecond=0, tzinfo=None)
    properties.created = properties.modified = now
    properties.revision = 1
    properties.comments = ""


def docx_font(document, size: float = 10) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def docx_line(document, text: str, *, bold=False, center=False, size=None, space_after=2):
    """One paragraph of a document: the protocols' and the DOCX template's line."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def docx_table_widths(table, widths_mm: list[float]) -> None:
    """Fixed layout, and the grid's columns equal to the cells' widths: LibreOffice lays a
    table out by its grid (`w:tblGrid`), Word by the cells; when they differ LibreOffice
    squeezes columns and breaks words mid-word."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table.autofit = False
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    total = OxmlElement("w:tblW")
    total.set(qn("w:w"), str(int(sum(Mm(w).twips for w in widths_mm))))
    total.set(qn("w:type"), "dxa")
    tbl_pr.append(total)
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    grid = tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        column.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def docx_chart(document, chart: dict, width_mm: float = 150) -> None:
    """The grade chart (grading.results.distribution) as a picture: Word has no inline SVG
    for every reader, so the same bars are drawn to PNG (chart_png.py)."""
    from docx.shared import Mm

    from attestation.records.chart_png import chart_png

    document.add_picture(BytesIO(chart_png(chart)), width=Mm(width_mm))


def docx_finish(document, *, title: str, language: str) -> None:
    """The language tag and the metadata of a DOCX made from a template."""
    from attestation.records.content import LANGUAGE_TAGS, university

    tag = LANGUAGE_TAGS.get(language, language)
    docx_set_language(document, tag)
    docx_metadata(document, {"title": title, "author": university(), "language": tag})


def document_texts(data):
    """`data` (dicts, lists, tuples of text) with every string as a document can hold it
    (core/input.document_text): XML refuses control characters with a 500."""
    if isinstance(data, str):
        return document_text(data)
    if isinstance(data, dict):
        return {key: document_texts(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return type(data)(document_texts(value) for value in data)
    return data


def docx_render(document_data: dict) -> bytes:
    from docx import Document
    from docx.shared import Pt

    document_data = document_texts(document_data)
    document = Document()
    docx_font(document)
    docx_page_setup(document)
    docx_set_language(document, document_data["meta"]["language"])
    docx_metadata(document, document_data["meta"])
    docx_page_numbers(document)

    def line(text, *, after=2, **style):
        return docx_line(document, text, space_after=after, **style)

    line(document_data["university"], bold=True, center=True, size=11.5)
    line(document_data["title"], bold=True, center=True, size=12.5)
    line(document_data["number_line"], bold=True, center=True, after=8)
    fields = document.add_table(rows=0, cols=2)
    for label, value in document_data["fields"]:
        cells = fields.add_row().cells
        cells[0].text, cells[1].text = str(label), str(value)
        cells[0].paragraphs[0].runs[0].bold = True
    docx_table_widths(fields, [50, TEXT_WIDTH_MM - 50])
    for section in document_data["sections"]:
        line(section["heading"], bold=True, after=2).paragraph_format.space_before = Pt(8)
        if section.get("chart"):
            docx_chart(document, section["chart"])
        if section.get("columns"):
            columns = section["columns"]
            table = document.add_table(rows=1, cols=len(columns))
            table.style = "Table Grid"
            for cell, (label, _width) in zip(table.rows[0].cells, columns, strict=True):
                cell.text = ""
                cell.paragraphs[0].add_run(str(label)).bold = True
            for row in section["rows"] or [["—"] + [""] * (len(columns) - 1)]:
                for cell, value in zip(table.add_row().cells, row, strict=True):
                    cell.text = str(value)
            docx_table_widths(table, [w for _label, w in columns])
        for text in section.get("lines", ()):
            line(text)
    line("", after=10)
    for s in document_data["signatures"]:
        line(f"{s['role']}  ______________________  {s['name']}", after=12)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()

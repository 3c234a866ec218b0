"""Builds `templates_docx/protocol.docx`, the docxtpl template of the protocol. Run once after
a change and commit the result:

    .venv/bin/python -m attestation.records.docx_template

Every label is a variable (`labels.*`), so one template serves Kazakh and Russian. Edit the
layout here, not in Word: Word splits `{{ … }}` across runs and breaks the tags.
"""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from attestation.records.render import docx_line, docx_page_numbers, docx_table_widths

TARGET = Path(__file__).resolve().parent / "templates_docx" / "protocol.docx"
FONT = "DejaVu Sans"
# Widths in mm; they add up to the text width of A4 landscape with 15 mm margins (267 mm).
COLUMNS = (
    ("labels.number", "position", 10),
    ("labels.student", "student", 42),
    ("labels.ticket", "ticket", 64),
    ("labels.additional", "additional", 40),
    ("labels.scores", "scores", 36),
    ("labels.grade", "grade", 30),
    ("labels.incidents", "incidents", 45),
)


def _font(document) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(9.5)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def build(target: Path = TARGET) -> Path:
    document = Document()
    _font(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.5))
    section.top_margin = section.bottom_margin = Cm(1.5)

    docx_page_numbers(document)
    docx_line(document, "{{ university }}", bold=True, center=True, size=12)
    docx_line(document, "{{ labels.protocol }}", bold=True, center=True, size=13, space_after=8)
    docx_line(document, "{{ labels.commission }}: {{ commission }}")
    docx_line(document, "{%p if programme %}")
    docx_line(document, "{{ labels.programme }}: {{ programme }}")
    docx_line(document, "{%p endif %}")
    docx_line(document, "{{ labels.sitting }}: {{ title }} ({{ form }})")
    docx_line(
        document,
        "{{ labels.date }}: {{ date }}    {{ labels.start }}: {{ start }}    "
        "{{ labels.end }}: {{ end }}",
    )
    docx_line(document, "{%p if announced %}")
    docx_line(document, "{{ labels.announced }}: {{ announced }}")
    docx_line(document, "{%p endif %}")
    docx_line(document, "{{ labels.present }}:", bold=True)
    docx_line(document, "{%p for line in present_lines %}")
    docx_line(document, "{{ line }}")
    docx_line(document, "{%p endfor %}", space_after=8)

    table = document.add_table(rows=4, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header, loop_start, body, loop_end = table.rows
    _repeat_header(header)
    for index, (label, key, _width) in enumerate(COLUMNS):
        cell = header.cells[index]
        cell.text = ""
        cell.paragraphs[0].add_run("{{ " + label + " }}").bold = True
        body.cells[index].text = "{{ c." + key + " }}"
    loop_start.cells[0].text = "{%tr for c in cells %}"
    loop_end.cells[0].text = "{%tr endfor %}"
    # The grid equal to the cells: LibreOffice lays the table out by the grid (render.py).
    docx_table_widths(table, [width for _label, _key, width in COLUMNS])

    docx_line(document, "", space_after=6)
    docx_line(document, "{%p if applications %}")
    docx_line(document, "{{ labels.applications }}:", bold=True)
    docx_line(document, "{%p endif %}")
    docx_line(document, "{%p for line in applications %}")
    docx_line(document, "{{ line }}")
    docx_line(document, "{%p endfor %}")
    docx_line(document, "", space_after=10)
    docx_line(document, "{{ labels.signatures }}:", bold=True, space_after=10)
    docx_line(document, "{%p for s in signatures %}")
    docx_line(document, "{{ s.role }}  ______________________  {{ s.name }}", space_after=12)
    docx_line(document, "{%p endfor %}")

    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(target)
    return target


if __name__ == "__main__":
    print(build())

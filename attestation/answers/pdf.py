"""The submitted answer as one PDF (R-14.1): the stored JPEGs, in page order, each on an A4
page. img2pdf embeds the JPEG data as it is, so the PDF shows exactly the pages whose SHA-256
the student was given."""

import img2pdf

A4 = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))
_layout = img2pdf.get_layout_fun(pagesize=A4, fit=img2pdf.FitMode.into, auto_orient=True)


def assemble(jpegs: list[bytes], *, title: str) -> bytes:
    """One A4 page per image (landscape photos on landscape pages), in the order given."""
    if not jpegs:
        raise ValueError("no pages")
    return img2pdf.convert(jpegs, layout_fun=_layout, title=title, producer="Attestation")

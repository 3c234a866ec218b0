"""The demo's defence dossiers (SPEC K-8): complete for the first four examinees (the fourth
above the similarity threshold, admitted by the department), and two the secretary cannot
admit yet: one above the threshold awaiting the department, one without the review."""

import hashlib
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from pypdf import PdfWriter

from attestation.defense.models import Dossier, Thesis
from attestation.demo import data as demo_data


def _pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def demo_dossiers(examinees, *, department) -> None:
    thesis_pdf, letter = _pdf(12), _pdf(1)
    above = Decimal(settings.ORIGINALITY_MAX_SIMILARITY_1) + Decimal("8.5")
    for i, examinee in enumerate(examinees, start=1):
        thesis = Thesis(examinee=examinee, sha256=hashlib.sha256(thesis_pdf).hexdigest(), pages=12)
        thesis.pdf.save("thesis.pdf", ContentFile(thesis_pdf), save=False)
        thesis.save()
        dossier = Dossier(
            examinee=examinee,
            title_ru=demo_data.THESES_RU[(i - 1) % len(demo_data.THESES_RU)],
            title_en=demo_data.THESES_EN[(i - 1) % len(demo_data.THESES_EN)],
            reviewer_organisation="«ҚазАқпарат» АҚ",
            reviewer_grade=(92, 85, 78, 81, 74, None)[(i - 1) % 6],
            originality_system=Dossier.System.STRIKE if i % 3 else Dossier.System.ANTIPLAGIAT,
            similarity_1=Decimal(11 + i) if i % 3 else None,
            similarity_2=Decimal("1.5") if i % 3 else None,
            similarity=Decimal(18) if not i % 3 else None,
        )
        if i in (4, 5):  # above the university's threshold: the department decides
            dossier.originality_system = Dossier.System.STRIKE
            dossier.similarity, dossier.similarity_1 = None, above
            dossier.similarity_2 = Decimal("2.0")
        if i == 4:
            dossier.department_decision = Dossier.Decision.ADMITTED
            dossier.decided_by = department
            dossier.decided_at = examinee.sitting.starts_at - timedelta(days=1)
        names = ("supervisor_feedback", "originality_report")
        for name in (*names, "review") if i != 6 else names:
            getattr(dossier, name).save(f"{name}.pdf", ContentFile(letter), save=False)
        dossier.save()

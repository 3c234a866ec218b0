"""The demo's defence dossiers (SPEC K-8): complete for the first four examinees (the fourth
above the similarity threshold, admitted by the department), and two the secretary cannot
admit yet: one above the threshold awaiting the department, one without the review."""

import hashlib
from datetime import timedelta
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.core.files.base import ContentFile

from attestation.defense.models import Dossier, Thesis
from attestation.demo import data as demo_data

# The demo's documents say what they are, so that a commission member who opens one in the
# live defence sees a feedback letter, a review or a report, not a blank page. One of each
# kind (rendered once: WeasyPrint takes a fraction of a second a document).
PAGE = (
    "<html><head><meta charset='utf-8'><style>@page {{ size: A4; margin: 2cm }} "
    "body {{ font-family: 'DejaVu Sans'; font-size: 11pt; line-height: 1.5 }} "
    "h1 {{ font-size: 15pt }} .demo {{ color: #a00 }}</style></head><body>"
    "<p class='demo'>ДЕМО · DEMO</p><h1>{title}</h1>{body}</body></html>"
)
LETTERS = {
    "thesis": (
        "Диплом жұмысы · Дипломная работа",
        "<p>Титул парағы, мазмұны, кіріспе, үш тарау, қорытынды, әдебиеттер тізімі.</p>"
        "<p>Титульный лист, содержание, введение, три главы, заключение, список литературы.</p>"
        + "<p style='page-break-before: always'>…</p>"
        * 11,
    ),
    "supervisor_feedback": (
        "Ғылыми жетекшінің пікірі · Отзыв научного руководителя",
        "<p>Жұмыс өз бетінше орындалған, тақырыбы өзекті; қорғауға ұсынылады.</p>"
        "<p>Работа выполнена самостоятельно, тема актуальна; рекомендуется к защите.</p>",
    ),
    "review": (
        "Рецензия · Рецензия",
        "<p>Рецензент: «ҚазАқпарат» АҚ. Жұмыс талаптарға сай; бағасы рецензия соңында.</p>"
        "<p>Рецензент: АО «ҚазАқпарат». Работа соответствует требованиям; оценка в конце.</p>",
    ),
    "originality_report": (
        "Түпнұсқалықты тексеру есебі · Отчёт о проверке на оригинальность",
        "<p>Ұқсастық коэффициенттері жүйенің есебінде көрсетілген.</p>"
        "<p>Коэффициенты подобия приведены в отчёте системы.</p>",
    ),
}


@cache  # the same four documents for every demo built in a process
def _pdf(kind: str) -> bytes:
    from weasyprint import HTML

    title, body = LETTERS[kind]
    return HTML(string=PAGE.format(title=title, body=body)).write_pdf()


def demo_dossiers(examinees, *, department) -> None:
    thesis_pdf = _pdf("thesis")
    letters = {name: _pdf(name) for name in ("supervisor_feedback", "review", "originality_report")}
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
            getattr(dossier, name).save(f"{name}.pdf", ContentFile(letters[name]), save=False)
        dossier.save()

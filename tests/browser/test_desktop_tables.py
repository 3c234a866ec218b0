"""Desktop staff tables at 1440 px: nothing clipped (the chair's final-grade column), and no
placeholder cut short («Ескертпе (міндетт…»), in Kazakh, Russian and English."""

import pytest

from attestation.grading import services
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD
from tests.test_grading_world import media, second_member, submit_written  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every input whose placeholder is wider than its box, and every table wider than the page or
# than its own scrolling box.
MEASURE = """() => {
  const canvas = document.createElement("canvas").getContext("2d");
  const cut = [];
  for (const el of document.querySelectorAll("input[placeholder], textarea[placeholder]")) {
    if (!el.offsetParent) continue;
    const style = getComputedStyle(el);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (canvas.measureText(el.placeholder).width > room + 1) cut.push(el.placeholder);
  }
  const clipped = [];
  for (const table of document.querySelectorAll("table")) {
    const box = table.getBoundingClientRect();
    const wrap = table.parentElement;
    if (box.right > window.innerWidth + 1 || wrap.scrollWidth > wrap.clientWidth + 1) {
      clipped.push(table.className);
    }
  }
  return {cut, clipped, page: document.documentElement.scrollWidth - window.innerWidth};
}"""


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_chairs_grading_table_fits_at_1440(new_page, world, media, language):  # noqa: F811
    for examinee in (world.examinee, world.other_examinee):
        submit_written(world, examinee)
    member2 = second_member(world)
    for member in (world.user("member"), member2):
        services.score_set(examinee=world.examinee, member=member, score=81)
    services.final_set(examinee=world.other_examinee, actor=world.user("chair"), score=70)
    page = new_page(viewport={"width": 1440, "height": 900})
    sign_in(page, "chair_p", PASSWORD, language)
    page.goto(f"/{language}/grading/sittings/{world.sitting.pk}/")
    found = page.evaluate(MEASURE)
    assert found == {"cut": [], "clipped": [], "page": 0}
    for examinee in (world.examinee, world.other_examinee):
        final = page.locator(f"#examinee-{examinee.pk} .final-cell").bounding_box()
        assert final["x"] + final["width"] <= 1440

    # After the announcement a change needs a reason: its box shows its whole placeholder.
    services.final_set(examinee=world.examinee, actor=world.user("chair"), score=81)
    services.sitting_announce(sitting=world.sitting, actor=world.user("chair"))
    page.goto(f"/{language}/grading/sittings/{world.sitting.pk}/")
    assert page.evaluate(MEASURE) == {"cut": [], "clipped": [], "page": 0}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_secretarys_console_fits_at_1440(new_page, world, language):
    page = new_page(viewport={"width": 1440, "height": 900})
    sign_in(page, "secretary_p", PASSWORD, language)
    page.goto(f"/{language}/staff/sittings/{world.sitting.pk}/")
    assert page.evaluate(MEASURE) == {"cut": [], "clipped": [], "page": 0}

"""The secretary's console: a refused action is shown at the row clicked and names the
student; the "next by the list" card has its own buttons; irreversible steps ask first,
naming the student and what follows."""

import re

import pytest

from attestation.commissions import services
from attestation.commissions.models import Examinee

pytestmark = pytest.mark.django_db


def live(client, world, action, examinee, language="en"):
    return client.post(
        f"/{language}/staff/examinees/{examinee.pk}/{action}/", HTTP_HX_REQUEST="true"
    ).content.decode()


def test_admitting_without_the_rules_says_so_at_the_row_with_the_name(world, client_for):
    client = client_for(world.user("secretary"))
    services.examinee_identify(examinee=world.examinee, actor=world.user("secretary"))
    html = live(client, world, "admit", world.examinee)
    row_end = html.index("</tr>", html.index(f'id="examinee-{world.examinee.pk}"'))
    error_at = html.index(f'id="examinee-{world.examinee.pk}-error"')
    between = html[row_end + len("</tr>") : error_at]
    assert re.fullmatch(r"\s*<tr class=\"row-error\"\s*", between), between  # the very next row
    error = html[error_at : html.index("</tr>", error_at)]
    assert "Абаев Әлихан" in error and "has not yet acknowledged the rules" in error
    # Not a screen away at the top, above the counters.
    assert html.count('role="alert"') == 2  # the row, and the "next" card (same student)
    assert html.index('class="counts"') < html.index('role="alert"')


def test_the_next_by_the_list_card_has_its_buttons(world, client_for):
    html = client_for(world.user("secretary")).get(f"/en/staff/sittings/{world.sitting.pk}/")
    html = html.content.decode()
    card = html[html.index('class="card next"') : html.index('class="card reading"')]
    assert f"/staff/examinees/{world.examinee.pk}/identify/" in card
    assert f"/staff/examinees/{world.examinee.pk}/absent/" in card
    services.examinee_identify(examinee=world.examinee, actor=world.user("secretary"))
    html = client_for(world.user("secretary")).get(f"/en/staff/sittings/{world.sitting.pk}/")
    html = html.content.decode()
    card = html[html.index('class="card next"') : html.index('class="card reading"')]
    assert f"/staff/examinees/{world.examinee.pk}/admit/" in card


def test_absent_and_late_join_ask_first_naming_the_student(world, client_for):
    client = client_for(world.user("secretary"))
    html = client.get(f"/kk/staff/sittings/{world.sitting.pk}/").content.decode()
    absent = re.search(
        rf'action="/kk/staff/examinees/{world.examinee.pk}/absent/"[^>]*data-confirm="([^"]+)"',
        html,
    )
    assert absent and "Абаев Әлихан" in absent.group(1) and "өтініш" in absent.group(1)
    assert "hx-confirm" not in html and "onclick" not in html and "onsubmit" not in html
    services.examinee_mark_absent(examinee=world.examinee, actor=world.user("secretary"))
    html = client.get(f"/kk/staff/sittings/{world.sitting.pk}/").content.decode()
    present = re.search(
        rf'action="/kk/staff/examinees/{world.examinee.pk}/present/"[^>]*data-confirm="([^"]+)"',
        html,
    )
    assert present and "Абаев Әлихан" in present.group(1)


def test_without_htmx_the_error_names_the_student_and_returns_to_the_row(world, client_for):
    client = client_for(world.user("secretary"))
    services.examinee_identify(examinee=world.examinee, actor=world.user("secretary"))
    response = client.post(f"/en/staff/examinees/{world.examinee.pk}/admit/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#examinee-{world.examinee.pk}")
    html = client.get(response["Location"]).content.decode()
    assert "Абаев Әлихан: The student has not yet acknowledged the rules." in html
    assert Examinee.objects.get(pk=world.examinee.pk).status == Examinee.Status.IDENTIFIED


def test_announcing_asks_first_and_says_what_follows(world, client_for):
    from tests.test_grading_world import admit, make_oral

    make_oral(world)
    admit(world, world.examinee)
    html = client_for(world.user("chair")).get(f"/en/grading/sittings/{world.sitting.pk}/")
    form = re.search(r'<form[^>]*class="announce-form"[^>]*>', html.content.decode()).group(0)
    assert "data-confirm=" in form and "e-mail" in form and world.sitting.title in form

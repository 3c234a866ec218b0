"""Every chart the app draws (the defence timeline, the results charts of a sitting and of a
commission) renders as valid SVG in kk, ru and en: a decimal comma must never reach an
attribute (kk and ru write 620,0), or the browser drops the bars."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from attestation.grading import services
from tests.live_helpers import defense_ready
from tests.test_grading_world import admit, make_oral

pytestmark = pytest.mark.django_db

LANGUAGES = ("kk", "ru", "en")
NUMERIC = {"x", "y", "x1", "x2", "y1", "y2", "dx", "dy", "width", "height", "rx", "font-size"}


class Element:
    def __init__(self, tag, attrs):
        self.tag, self.attrib, self.children = tag, dict(attrs), []

    def get(self, name):
        return self.attrib.get(name)

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()


class SvgCollector(HTMLParser):
    """Every <svg> of a page as a tree, parsed the way a browser's HTML parser reads it."""

    VOID = {"line", "rect", "circle", "path", "polyline", "polygon", "ellipse", "use"}

    def __init__(self):
        super().__init__()
        self.found, self.stack = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "svg" or self.stack:
            element = Element(tag, attrs)
            if self.stack:
                self.stack[-1].children.append(element)
            else:
                self.found.append(element)
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack:
            self.stack.pop()

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop().tag == tag:
                break


def svgs(html: str) -> list[Element]:
    collector = SvgCollector()
    collector.feed(html)
    assert collector.found, "no chart on the page"
    return collector.found


def check_numbers(svg: Element) -> None:
    view_box = svg.get("viewbox").split()  # the HTML parser lowercases names
    assert len(view_box) == 4 and all(float(v) >= 0 for v in view_box), view_box
    for element in svg.iter():
        for name, value in element.attrib.items():
            if value is None or (element is svg and value.endswith("%")):
                continue  # the picture's own width="100%"
            if name in NUMERIC:
                float(value)  # "620,0" raises: the browser would drop the element


def rects(svg: Element) -> list[Element]:
    return [e for e in svg.iter() if e.tag == "rect"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_defence_timeline_draws_a_bar_per_slot(world, client_for, language):
    sitting = defense_ready(world, starts_at=timezone.now() + timedelta(hours=2))
    response = client_for(world.user("chair")).get(f"/{language}/live/sittings/{sitting.pk}/")
    assert response.status_code == 200
    (timeline,) = [s for s in svgs(response.content.decode()) if "data-timeline" in s.attrib]
    check_numbers(timeline)
    bars = rects(timeline)
    assert len(bars) == 2
    assert all(float(b.get("width")) > 2 for b in bars)
    # The second slot starts to the right of the first; the times sit in the bars, right of
    # the names' column.
    assert float(bars[1].get("x")) > float(bars[0].get("x")) >= 170


def announce(world, scores):
    chair = world.user("chair")
    for examinee, score in zip((world.examinee, world.other_examinee), scores, strict=True):
        services.final_set(examinee=examinee, actor=chair, score=score)
    services.sitting_announce(sitting=world.sitting, actor=chair)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_results_charts_are_valid_svg_with_bars(world, client_for, language):
    make_oral(world)
    admit(world, world.examinee)
    admit(world, world.other_examinee)
    announce(world, (96, 44))
    client = client_for(world.user("registrar"))
    for url in (
        f"/{language}/grading/sittings/{world.sitting.pk}/results/",
        f"/{language}/grading/commissions/{world.commission.pk}/results/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        for chart in svgs(response.content.decode()):
            check_numbers(chart)
            bars = rects(chart)
            assert len(bars) == 12  # one per letter of the scale
            assert sum(1 for b in bars if float(b.get("height")) > 0) == 2


def test_templates_keep_numbers_in_attributes_unlocalised():
    """The class, not the case: an SVG in a template sits inside {% localize off %}."""
    from tests.po import ROOT

    for path in (ROOT / "attestation" / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<svg\b.*?</svg>", text, re.S):
            # Loop counters are integers, which no language writes differently.
            svg = re.sub(r"\{\{ forloop\.[^}]*\}\}", "", match.group(0))
            if "{{" in svg:
                before = text[: match.start()]
                assert before.rfind("{% localize off %}") > before.rfind("{% endlocalize %}"), path

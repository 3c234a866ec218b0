from django import template

from attestation.grading.scale import Grade, grade_for

register = template.Library()


@register.filter
def grade(score) -> Grade | None:
    """`{{ examinee.final_score|grade }}`: letter, points and word; None for no score."""
    if score is None or score == "":
        return None
    return grade_for(int(score))

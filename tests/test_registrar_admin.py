"""The registrar's admin: the "registrar" group gives the models, the header is the product's
name, and the page is in Kazakh."""

import pytest
from django.contrib.auth.models import Group

from attestation.accounts.models import User
from attestation.accounts.roles import REGISTRAR_GROUP
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_registrar_signs_in_to_the_admin_and_sees_the_models_in_kazakh(world, client):
    client.post(
        "/kk/admin/login/",
        {"username": "admin_registrar", "password": "x"},
    )  # a wrong sign-in first: the form answers in Kazakh, not in English
    registrar = world.user("registrar")
    registrar.set_password("long-enough-pass-1")
    registrar.save()
    response = client.post(
        "/kk/admin/login/?next=/kk/admin/",
        {"username": registrar.username, "password": "long-enough-pass-1"},
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "permission" not in html and "рұқсатыңыз жоқ" not in html
    for model in ("commissions/sitting", "commissions/examinee", "accounts/student"):
        assert f'href="/kk/admin/{model}/"' in html, model
    assert "Даңғо" not in html and "Django" not in html.split("<body", 1)[1]
    assert "Қорытынды аттестаттау" in html  # the product's name as header and title
    assert "<title>" in html and "Қорытынды аттестаттау" in html.split("<title>", 1)[1][:200]
    assert client.get("/kk/admin/commissions/sitting/").status_code == 200
    assert client.get("/kk/admin/grading/score/").status_code == 200  # read
    assert client.get("/kk/admin/grading/score/add/").status_code == 403  # not by hand


def test_the_group_reads_everything_and_edits_the_set_up_only():
    group = Group.objects.get(name=REGISTRAR_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_score", "view_auditentry", "view_draw", "view_importjob"} <= codenames
    assert {"add_sitting", "change_examinee", "change_student", "add_ticket"} <= codenames
    assert not codenames & {"change_score", "delete_auditentry", "add_draw", "change_apitoken"}


def test_the_flag_brings_the_group_and_the_staff_status_wherever_it_is_set():
    user = UserFactory(username="later_registrar")
    assert not user.groups.exists() and not user.is_staff
    user = User.objects.get(pk=user.pk)
    user.is_registrar = True
    user.save()
    user.refresh_from_db()
    assert user.is_staff and user.groups.filter(name=REGISTRAR_GROUP).exists()
    user.is_registrar = False
    user.save()
    assert not user.groups.filter(name=REGISTRAR_GROUP).exists()
    created = User.objects.create_user("new_registrar", is_registrar=True)
    assert created.groups.filter(name=REGISTRAR_GROUP).exists() and created.is_staff


def _admin_names(language: str) -> dict:
    from django.contrib import admin
    from django.utils import translation

    with translation.override(language):
        return {
            model._meta.label: (
                str(model._meta.app_config.verbose_name),
                str(model._meta.verbose_name_plural),
            )
            for model in admin.site._registry
            if model._meta.app_label != "auth"  # Django's own, translated by Django
        }


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_app_and_model_in_the_admin_has_a_name_in_the_language(language):
    """The admin's index lists apps and models by these names: none may stay English."""
    english, translated = _admin_names("en"), _admin_names(language)
    same = [
        (label, part)
        for label, names in translated.items()
        for part, name, other in zip(("app", "model"), names, english[label], strict=True)
        if name == other
    ]
    assert same == []

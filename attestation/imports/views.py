"""The registrar's set-up pages: the four imports, their templates, and each job's progress."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from attestation.imports.downloads import template_build
from attestation.imports.forms import UploadForm
from attestation.imports.kinds import KINDS
from attestation.imports.kinds.base import ACTIONS, PREVIEW_ROWS
from attestation.imports.models import ImportJob
from attestation.imports.services import import_job_create

RECENT_JOBS = 20


def _registrar_only(user) -> None:
    # 404, not 403: the set-up pages do not exist for anyone else (STYLE.md).
    if not user.is_registrar:
        raise Http404


def _kind_or_404(kind: str):
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


@login_required
def home(request, bound: tuple[str, UploadForm] | None = None, status: int = 200):
    _registrar_only(request.user)
    language = get_language()
    kinds = []
    for key, spec in KINDS.items():
        form = bound[1] if bound and bound[0] == key else UploadForm(auto_id=f"id_{key}_%s")
        columns = [(c.title(language), c.required) for c in spec.columns]
        kinds.append({"key": key, "spec": spec, "columns": columns, "form": form})
    jobs = ImportJob.objects.select_related("created_by")[:RECENT_JOBS]
    context = {
        "kinds": kinds,
        "jobs": jobs,
        "max_bytes": settings.IMPORT_MAX_BYTES,
        "max_mb": round(settings.IMPORT_MAX_BYTES / 1024 / 1024, 1),
    }
    return render(request, "imports/home.html", context, status=status)


@login_required
@require_POST
def upload(request, kind: str):
    _registrar_only(request.user)
    _kind_or_404(kind)
    form = UploadForm(request.POST, request.FILES, auto_id=f"id_{kind}_%s")
    if not form.is_valid():
        return home(request, bound=(kind, form), status=400)
    job = import_job_create(
        kind=kind, upload=form.cleaned_data["file"], user=request.user, language=get_language()
    )
    return redirect("imports:job", pk=job.pk)


@login_required
def template_download(request, kind: str, fmt: str):
    _registrar_only(request.user)
    _kind_or_404(kind)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    content, content_type, name = template_build(kind=kind, fmt=fmt, language=get_language())
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _job_context(job: ImportJob) -> dict:
    spec = KINDS[job.kind]
    counts = [
        (label, job.counts[key]) for key, label in spec.count_labels.items() if key in job.counts
    ]
    preview = [
        {
            "action": ACTIONS.get(row["action"], row["action"]),
            "cells": list(zip(spec.preview_headers, row["cells"], strict=False)),
        }
        for row in job.preview
    ]
    return {
        "job": job,
        "spec": spec,
        "counts": counts,
        "preview": preview,
        "preview_truncated": len(preview) >= PREVIEW_ROWS,
    }


@login_required
def job_detail(request, pk: int):
    _registrar_only(request.user)
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    return render(request, "imports/job.html", _job_context(job))


@login_required
def job_status(request, pk: int):
    """The part of the job page that htmx polls until the job has finished."""
    _registrar_only(request.user)
    job = get_object_or_404(ImportJob, pk=pk)
    return render(request, "imports/_job_status.html", _job_context(job))

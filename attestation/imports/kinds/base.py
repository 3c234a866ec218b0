"""What every import kind provides, and the shared vocabulary of their results."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from attestation.imports.columns import Column, Sheet

Progress = Callable[[int], None]

# How a preview row was affected; shown on the result page.
ACTIONS = {
    "created": _("created"),
    "updated": _("updated"),
    "unchanged": _("unchanged"),
}
PREVIEW_ROWS = 50


class ImportConflict(Exception):
    """The database changed between the check and the saving (another import, a sitting that
    started): the transaction is rolled back; `message` is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Outcome:
    counts: dict[str, int]
    preview: list[dict] = field(default_factory=list)
    # Translated remarks the registrar should act on (e.g. a chair who is an employee, K-1).
    warnings: list[str] = field(default_factory=list)

    def show(self, action: str, *cells: Any) -> None:
        if len(self.preview) < PREVIEW_ROWS:
            self.preview.append({"action": action, "cells": [str(c) for c in cells]})


def no_preparation(plan: Any, progress: Progress) -> None:
    return None


@dataclass(frozen=True)
class ImportKind:
    """One kind of import.

    `check(sheet, progress)` reads every row, records problems on the sheet and returns a plan;
    `prepare(plan, progress)` does slow work outside the transaction (password hashing);
    `apply(plan)` runs inside one transaction, re-reads what it changes and returns the outcome.
    """

    key: str
    title: Promise
    description: Promise
    columns: list[Column]
    check: Callable[[Sheet, Progress], Any]
    apply: Callable[[Any], Outcome]
    count_labels: dict[str, Promise]
    preview_headers: list[Promise]
    prepare: Callable[[Any, Progress], None] = no_preparation

    def example_row(self) -> list[Any]:
        return [column.example for column in self.columns]


def changed(obj: Any, values: dict[str, Any]) -> bool:
    """Set `values` on `obj`; True when any of them differed."""
    differs = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            differs = True
    return differs

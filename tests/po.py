"""A small reader of gettext catalogs for tests: (msgctxt, msgid) → list of msgstr forms."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$')


def catalog(path) -> dict[tuple[str | None, str], list[str]]:
    entries = {}
    for block in Path(ROOT, path).read_text(encoding="utf-8").split("\n\n"):
        values, current = {}, None
        for line in block.strip("\n").split("\n"):
            if line.startswith("#~"):  # obsolete entries are not compiled
                values = {}
                break
            match = _LINE.match(line)
            if match:
                current = match.group(1)
                values[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                values[current] += ast.literal_eval(line)
        if values.get("msgid"):
            forms = [v for k, v in sorted(values.items()) if k.startswith("msgstr")]
            entries[(values.get("msgctxt"), values["msgid"])] = forms
    return entries


def project_catalog(lang: str):
    return catalog(f"locale/{lang}/LC_MESSAGES/django.po")

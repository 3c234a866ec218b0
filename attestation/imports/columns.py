"""Columns of an import file: how a header is recognised (Kazakh, Russian, English), how a cell
is read, and how problems are collected with the row and the column title as in the file."""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email, validate_slug
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from attestation.imports.reading import ImportFileError, Table


def normalize(value: Any) -> str:
    """Case-, space- and punctuation-insensitive form of a header or an enum word."""
    text = str(value).casefold().replace("ё", "е")
    text = re.sub(r"[\s_\-–—./:*()«»\"']+", " ", text)
    return text.strip()


class CellError(Exception):
    """A cell that cannot be read; `message` is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise  # English, translated on pages
    titles: dict[str, str]  # the header written in templates, per language
    parse: Callable[[Any], Any]
    example: Any = ""
    required: bool = True
    aliases: tuple[str, ...] = ()

    def title(self, language: str | None = None) -> str:
        language = language or translation.get_language() or "en"
        return self.titles.get(language[:2]) or self.titles["en"]

    def names(self) -> set[str]:
        """Every header this column answers to: templates in every language, aliases, the key,
        and the translated label in every language (once translations exist)."""
        names = {normalize(t) for t in self.titles.values()}
        names |= {normalize(a) for a in self.aliases}
        names.add(normalize(self.key))
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names.add(normalize(self.label))
        return names


@dataclass
class Problems:
    items: list[dict] = field(default_factory=list)

    def add(self, row: int | None, column: str, message: str) -> None:
        if row:
            text = _("Row %(row)s, column «%(column)s»: %(message)s") % {
                "row": row,
                "column": column,
                "message": message,
            }
        else:
            text = message
        self.items.append({"row": row, "column": column, "message": message, "text": text})

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


class Row:
    """One data row: cells by column key, already read; problems go to the sheet's list."""

    def __init__(self, sheet: "Sheet", number: int, values: dict[str, Any]):
        self.sheet = sheet
        self.number = number
        self.values = values

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)

    def has(self, key: str) -> bool:
        return key in self.sheet.index

    def problem(self, key: str, message: str) -> None:
        self.sheet.problems.add(self.number, self.sheet.title_of(key), message)


class Sheet:
    """A table bound to a kind's columns: finds each column by its header and reads the rows."""

    def __init__(self, table: Table, columns: list[Column], problems: Problems):
        self.columns = {c.key: c for c in columns}
        self.problems = problems
        lookup = {name: column.key for column in columns for name in column.names()}
        # The header is usually the first row, but a registrar's sheet often starts with a
        # title line or two: the first of the top rows that has every required column wins.
        candidates = [(table.header_row, table.headers)]
        candidates += [(number, _header_texts(cells)) for number, cells in table.rows[:9]]
        best: tuple[list[str], dict[str, int]] | None = None
        for skipped, (number, headers) in enumerate(candidates):
            index = _match(headers, lookup)
            if all(c.key in index for c in columns if c.required):
                self.table = Table(headers=headers, header_row=number, rows=table.rows[skipped:])
                self.index = index
                break
            if best is None or len(index) > len(best[1]):
                best = (headers, index)
        else:
            missing = [c.title() for c in columns if c.required and c.key not in best[1]]
            raise ImportFileError(
                _("Required columns are missing: %(columns)s. Download the template to see them.")
                % {"columns": ", ".join(f"«{m}»" for m in missing)}
            )
        if not self.table.rows:
            raise ImportFileError(_("The file has a header row but no data rows."))

    def title_of(self, key: str) -> str:
        """The column's header as written in the file (or in the template if absent)."""
        if key in self.index:
            return self.table.headers[self.index[key]]
        return self.columns[key].title()

    def __len__(self) -> int:
        return len(self.table.rows)

    def rows(self) -> Iterator[Row]:
        for number, cells in self.table.rows:
            values: dict[str, Any] = {}
            for key, position in self.index.items():
                column = self.columns[key]
                raw = cells[position] if position < len(cells) else None
                if raw is None:
                    if column.required:
                        self.problems.add(number, self.title_of(key), _("empty"))
                    values[key] = None
                    continue
                try:
                    values[key] = column.parse(raw)
                except CellError as error:
                    self.problems.add(number, self.title_of(key), error.message)
                    values[key] = None
            yield Row(self, number, values)


def _header_texts(cells: list[Any]) -> list[str]:
    return [_as_text(cell) if cell is not None else "" for cell in cells]


def _match(headers: list[str], lookup: dict[str, str]) -> dict[str, int]:
    """Column key → position of its header; extra columns (notes, numbering) are ignored."""
    index: dict[str, int] = {}
    for position, header in enumerate(headers):
        key = lookup.get(normalize(header)) if header else None
        if key is None:
            continue
        if key in index:
            raise ImportFileError(
                _("The column «%(column)s» appears twice in the header row.") % {"column": header}
            )
        index[key] = position
    return index


# --- Cell readers ---------------------------------------------------------------------------


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an ID or a username typed as a number
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()


def text(max_length: int, *, one_line: bool = True) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        result = _as_text(value)
        if one_line:
            result = " ".join(result.split())
        if len(result) > max_length:
            raise CellError(
                _("too long: %(length)s characters, at most %(limit)s")
                % {"length": len(result), "limit": max_length}
            )
        return result

    return parse


def username(value: Any) -> str:
    result = text(150)(value)
    try:
        UnicodeUsernameValidator()(result)
    except ValidationError:
        raise CellError(
            _("«%(value)s» is not a valid username: use letters, digits and @ . + - _ only")
            % {"value": result}
        ) from None
    return result


def code(max_length: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        result = text(max_length)(value)
        try:
            validate_slug(result)
        except ValidationError:
            raise CellError(
                _("«%(value)s» is not a valid code: use Latin letters, digits, - and _ only")
                % {"value": result}
            ) from None
        return result

    return parse


def email(value: Any) -> str:
    result = text(254)(value)
    try:
        validate_email(result)
    except ValidationError:
        raise CellError(_("«%(value)s» is not an e-mail address") % {"value": result}) from None
    return result.lower()


def url(value: Any) -> str:
    result = text(500)(value)
    try:
        URLValidator(schemes=["http", "https"])(result)
    except ValidationError:
        raise CellError(
            _("«%(value)s» is not a link: it must start with https://") % {"value": result}
        ) from None
    return result


def integer(minimum: int, maximum: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        try:
            result = int(str(value).strip())
        except ValueError:
            raise CellError(_("«%(value)s» is not a whole number") % {"value": value}) from None
        if not minimum <= result <= maximum:
            raise CellError(
                _("%(value)s is out of range: from %(minimum)s to %(maximum)s")
                % {"value": result, "minimum": minimum, "maximum": maximum}
            )
        return result

    return parse


def gpa(value: Any) -> Decimal:
    """A GPA from 0.00 to 4.00 (SPEC K-10), with a point or a comma, two decimals at most:
    never rounded, so that 3.499 cannot become 3.50 and a diploma with honours."""
    if isinstance(value, bool):
        value = str(value)
    raw = _as_text(value).replace(",", ".") if not isinstance(value, float) else repr(value)
    try:
        result = Decimal(raw)
    except InvalidOperation:
        raise CellError(
            _("«%(value)s» is not a GPA: write a number from 0.00 to 4.00") % {"value": value}
        ) from None
    if not result.is_finite() or not Decimal("0") <= result <= Decimal("4"):
        raise CellError(_("%(value)s is not a GPA: it is from 0.00 to 4.00") % {"value": value})
    if result != result.quantize(Decimal("0.01")):
        raise CellError(
            _("%(value)s has more than two decimals: write the GPA as in the transcript, e.g. 3.67")
            % {"value": value}
        )
    return result.quantize(Decimal("0.01"))


DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y")
TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%H.%M")


def a_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(str(value).strip(), fmt).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    raise CellError(
        _("«%(value)s» is not a date: write it as DD.MM.YYYY, e.g. 25.06.2026") % {"value": value}
    )


def a_time(value: Any) -> time:
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, time):
        return value
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(str(value).strip(), fmt).time()  # noqa: DTZ007 (a time)
        except ValueError:
            continue
    raise CellError(
        _("«%(value)s» is not a time: write it as HH:MM, e.g. 09:30") % {"value": value}
    )


def choice(words: dict[str, tuple[str, ...]], labels: dict[str, Promise]) -> Callable:
    """An enum cell: any of the `words` (Kazakh, Russian, English, the code) for each value, or
    its label in any language once translations exist."""
    cache: dict[str, str] = {}

    def lookup() -> dict[str, str]:
        if not cache:
            for value, group in words.items():
                cache.update({normalize(word): value for word in (value, *group)})
                for language, _name in settings.LANGUAGES:
                    with translation.override(language):
                        cache.setdefault(normalize(labels[value]), value)
        return cache

    def parse(value: Any) -> str:
        found = lookup().get(normalize(_as_text(value)))
        if found is None:
            accepted = " / ".join(str(labels[v]) for v in words)
            raise CellError(
                _("«%(value)s» is not one of: %(choices)s") % {"value": value, "choices": accepted}
            )
        return found

    return parse

"""A useful subset of the Laserfiche search syntax, parsed into a predicate over entries.

Supported (keywords and names case-insensitive, patterns with ``*`` any run and ``?`` one character,
matched against the whole value)::

    {LF:Name="Invoice*"}                 the entry's name
    {LF:Name="Invoice*", Type="D"}       options inside an LF token: Type = letters D (documents), F (folders
                                         and record series), S (shortcuts), e.g. "DF"
    {LF:Type="F"}                        the type alone
    {LF:LOOKIN="\\Projects\\2023"}        anything under that folder (not the folder itself); an unknown
                                         path finds nothing
    {LF:Template="Invoice"}              the template name
    {[]:[Vendor]="Acme*"}                any value of the field (any template); {[Invoice]:[Vendor]="x"} also
                                         requires that template
    {LF:Basic ~= "budget"}               the words appear in the name or a field value (``option`` ignored)
    A & B, A | B, (A), -A                and (binds tighter), or, grouping, not

The root folder is never a result. Anything else is a syntax error (400, naming the position).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import re
from collections.abc import Callable

from lf_emulator.repository import Entry, Repository

__all__ = ["Search", "SearchSyntaxError", "parse_search"]


class _Context:
    """One run of a search: the repository, and the LOOKIN folders resolved once."""

    def __init__(self, repository: Repository) -> None:
        self.repository = repository
        self.folders: dict[str, int | None] = {}

    def folder_id(self, path: str) -> int | None:
        if path not in self.folders:
            found, _ = self.repository.by_path(path)
            self.folders[path] = found.id if found is not None and found.is_container else None
        return self.folders[path]


Predicate = Callable[[_Context, Entry], bool]
_TYPES = {"D": ("Document",), "F": ("Folder", "RecordSeries"), "S": ("Shortcut",)}
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<open>\() | (?P<close>\)) | (?P<and>&) | (?P<or>\|) | (?P<not>-)
      | \{(?P<brace>(?:[^{}"]|"(?:[^"]|"")*")*)\}
    )""",
    re.VERBOSE,
)
_CLAUSE = re.compile(
    r"""\s*(?:(?P<scope>LF|\[[^\]]*\])\s*:\s*)?(?P<key>\[[^\]]*\]|[A-Za-z]+)\s*(?P<op>~=|=)\s*
        "(?P<value>(?:[^"]|"")*)"\s*(?:,|$)""",
    re.VERBOSE,
)


class SearchSyntaxError(ValueError):
    pass


@dataclasses.dataclass(frozen=True)
class _Clause:
    scope: str | None
    key: str
    op: str
    value: str


def _matches(pattern: str, value: str) -> bool:
    return fnmatch.fnmatchcase(value.casefold(), pattern.casefold().replace("[", "[[]"))


def _under(path: str) -> Predicate:
    def check(context: _Context, entry: Entry) -> bool:
        folder = context.folder_id(path)
        if folder is None:
            return False
        return entry.id != folder and context.repository.is_in_subtree(entry.id, folder)

    return check


def _name(pattern: str) -> Predicate:
    return lambda _context, entry: _matches(pattern, entry.name)


def _template(pattern: str) -> Predicate:
    return lambda _context, entry: _matches(pattern, entry.template_name)


def _kinds(kinds: frozenset[str]) -> Predicate:
    return lambda _context, entry: entry.entry_type in kinds


def _field(template: str, field: str, pattern: str) -> Predicate:
    def check(context: _Context, entry: Entry) -> bool:
        if template and entry.template_name.casefold() != template.casefold():
            return False
        return any(
            name.casefold() == field.casefold() and any(_matches(pattern, v) for v in values)
            for name, values in entry.field_values
        )

    return check


def _basic(text: str) -> Predicate:
    words = [w.casefold() for w in text.split()]

    def check(context: _Context, entry: Entry) -> bool:
        haystack = " ".join([entry.name, *(v for _, values in entry.field_values for v in values)]).casefold()
        return all(w in haystack for w in words)

    return check


def _brace(body: str, position: int) -> Predicate:
    clauses: list[_Clause] = []
    rest = body
    while rest.strip():
        m = _CLAUSE.match(rest)
        if m is None:
            raise SearchSyntaxError(f"search command: cannot read {{{body}}} at position {position}")
        clauses.append(_Clause(m["scope"], m["key"], m["op"], m["value"].replace('""', '"')))
        rest = rest[m.end() :]
    if not clauses:
        raise SearchSyntaxError(f"search command: empty braces at position {position}")
    checks: list[Predicate] = []
    first = clauses[0]
    if first.scope is not None and first.scope.startswith("["):
        template, field = first.scope[1:-1], first.key
        if not (field.startswith("[") and field.endswith("]")) or first.op != "=":
            raise SearchSyntaxError(
                f'search command: field search must read {{[Template]:[Field]="value"}} at {position}'
            )
        checks.append(_field(template, field[1:-1], first.value))
        clauses = clauses[1:]
    for index, clause in enumerate(clauses):
        key = clause.key.casefold()
        if clause.scope is None and index == 0 and not checks and key != "type":
            raise SearchSyntaxError(f"search command: {clause.key} needs a scope such as LF: at {position}")
        if key == "name" and clause.op == "=":
            checks.append(_name(clause.value))
        elif key == "lookin":
            checks.append(_under(clause.value))
        elif key == "template":
            checks.append(_template(clause.value))
        elif key == "basic" and clause.op == "~=":
            checks.append(_basic(clause.value))
        elif key == "type":
            letters = clause.value.upper()
            if not letters or set(letters) - set(_TYPES):
                raise SearchSyntaxError(f"search command: Type={clause.value!r} must use the letters D, F, S")
            checks.append(_kinds(frozenset(k for letter in letters for k in _TYPES[letter])))
        elif key == "option":
            continue
        else:
            raise SearchSyntaxError(
                f"search command: {clause.key} {clause.op} is not supported (at {position})"
            )
    return lambda context, entry: all(check(context, entry) for check in checks)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str, int]] = []
        position = 0
        while text[position:].strip():
            m = _TOKEN.match(text, position)
            if m is None:
                raise SearchSyntaxError(
                    f"search command: unexpected text at position {position}: {text[position:][:20]!r}"
                )
            kind = m.lastgroup or ""
            self.tokens.append((kind, m[kind] if kind == "brace" else "", m.start(kind)))
            position = m.end()
        self.index = 0

    def peek(self) -> str:
        return self.tokens[self.index][0] if self.index < len(self.tokens) else "end"

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expression(self) -> Predicate:
        options = [self.conjunction()]
        while self.peek() == "or":
            self.take()
            options.append(self.conjunction())
        if len(options) == 1:
            return options[0]
        return lambda r, e: any(p(r, e) for p in options)

    def conjunction(self) -> Predicate:
        parts = [self.unary()]
        while self.peek() == "and":
            self.take()
            parts.append(self.unary())
        if len(parts) == 1:
            return parts[0]
        return lambda r, e: all(p(r, e) for p in parts)

    def unary(self) -> Predicate:
        kind = self.peek()
        if kind == "not":
            self.take()
            inner = self.unary()
            return lambda r, e: not inner(r, e)
        if kind == "open":
            self.take()
            inner = self.expression()
            if self.peek() != "close":
                raise SearchSyntaxError("search command: missing ')'")
            self.take()
            return inner
        if kind == "brace":
            _, body, position = self.take()
            return _brace(body, position)
        where = self.tokens[self.index][2] if self.index < len(self.tokens) else "the end"
        raise SearchSyntaxError(f"search command: expected {{...}} or ( at {where}")


@dataclasses.dataclass(frozen=True)
class Search:
    command: str
    predicate: Predicate

    def run(self, repository: Repository) -> list[int]:
        """Ids of the matching entries (never the root), in id order."""
        context = _Context(repository)
        with repository.lock:
            return sorted(
                e.id
                for e in list(repository.entries.values())
                if e.parent_id is not None and self.predicate(context, e)
            )


def parse_search(command: str) -> Search:
    """The search ``command`` means; raises :class:`SearchSyntaxError` for what this subset cannot read."""
    parser = _Parser(command)
    if not parser.tokens:
        raise SearchSyntaxError("search command: empty")
    predicate = parser.expression()
    if parser.peek() != "end":
        where = parser.tokens[parser.index][2]
        raise SearchSyntaxError(f"search command: unexpected {parser.peek()!r} at position {where}")
    return Search(command, predicate)

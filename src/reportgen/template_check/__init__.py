"""``reportgen template-check``: every problem of a Word template, found without data.

A template is read as its clerk sees it (:mod:`reportgen.docx.paragraphs`), each tag on
its own (:mod:`reportgen.language.tags`) and the whole template (:mod:`.rules`):
unknown variables, nested names (``department.nmae``, ``t.titel`` in a loop,
:mod:`.attributes`) and filters with the nearest known name, misspelled or unbalanced
tags, curly quotes in tags, tags Word split so docxtpl cannot read them (or joins them
only by breaking the document), ``{%tr %}`` rows that do not pair up. Each problem is an
:class:`~reportgen.errors.Problem` whose place is a :class:`~reportgen.errors.TemplatePlace`:
part, paragraph or table cell, and the text around it. Vocabularies and titles of the
document kinds come from :mod:`reportgen.kinds`.

    >>> from reportgen.kinds import shipped
    >>> report = check_template(shipped("self-evaluation")[0])
    >>> report.kind, report.problems
    ('self-evaluation', [])
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, NamedTuple, Optional

import jinja2

from reportgen import kinds
from reportgen.docx.formats import as_document
from reportgen.docx.paragraphs import Part, read_parts
from reportgen.errors import NOTICE, Problem, TemplateError, TemplateNotFoundError, os_reason
from reportgen.language.environment import SandboxEnvironment
from reportgen.template_check.attributes import Value, top_level
from reportgen.template_check.carried import carried_problems
from reportgen.template_check.rules import UNKNOWN_VARIABLE, Shared, check_parts

__all__ = ["Report", "check_template", "guess_kind", "known_names", "known_values", "wrong_kind"]


class Report(NamedTuple):
    """The outcome of checking one template: its ``problems`` (each fails the check) and
    its ``notices``, what the report carries as a clerk would expect (a footnote in a
    loop copied into each repetition, as Word copies it), said without failing."""

    path: Path
    kind: str  # the document kind whose vocabulary the names were checked against
    guessed: bool  # True when the kind was not given
    problems: list[Problem]
    notices: tuple[Problem, ...] = ()


def known_names(kind: str, env: jinja2.Environment) -> set[str]:
    """The names a template of ``kind`` may read: its vocabulary and Jinja's globals."""
    return set(known_values(kind, env))


def known_values(kind: str, env: jinja2.Environment) -> dict[str, Value]:
    """The names a template of ``kind`` may read, each with what it holds in the
    structured vocabulary (Jinja's globals: not known)."""
    return top_level(kinds.vocabulary(kind).names, env.globals)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise TemplateNotFoundError(f"找不到模板文件：{path}") from None
    except OSError as exc:
        raise TemplateError(f"无法读取模板文件 {path}：{os_reason(exc)}") from None


def _best(parts: list[Part], names: Iterable[str], env: jinja2.Environment) -> tuple[str, list[Problem]]:
    """The kind among ``names`` whose vocabulary fits ``parts`` best, and its problems."""
    shared = Shared(env)  # what does not depend on the vocabulary is worked out once
    results = [(k, check_parts(parts, known_values(k, env), env, shared)) for k in names]
    return min(results, key=_fit)  # ties: the first kind


def check_template(path: str | Path, kind: Optional[str] = None) -> Report:
    """Check the template at ``path`` against ``kind``'s vocabulary; without ``kind``,
    the kind its folder names, else the kind whose vocabulary fits it best.
    Raises :class:`TemplateError` for a file that cannot be read or an unknown kind."""
    path = Path(path)
    data = as_document(_read(path), f"模板 {path.name}")
    parts = read_parts(data, f"模板 {path.name} ")
    env = SandboxEnvironment()
    found = carried_problems(data, parts)  # what reaches outside, what tag paragraphs carry
    carried = [p for p in found if p.severity != NOTICE]
    notices = tuple(p for p in found if p.severity == NOTICE)
    if kind is not None:
        kinds.vocabulary(kind)  # an unknown kind: the error names the known ones
        return Report(path, kind, False, check_parts(parts, known_values(kind, env), env) + carried, notices)
    folder, known = path.resolve().parent.name, [v.name for v in kinds.vocabularies()]
    best, problems = _best(parts, [folder] if folder in known else known, env)
    return Report(path, best, True, problems + carried, notices)


def _fit(result: tuple[str, list[Problem]]) -> tuple[int, int]:
    """How badly a kind fits: its unknown top-level names first (a nested typo says
    nothing about the kind), then all its problems."""
    problems = result[1]
    return sum(p.message.startswith(UNKNOWN_VARIABLE) for p in problems), len(problems)


def guess_kind(data: bytes) -> Optional[str]:
    """The document kind whose vocabulary fits the .docx ``data`` best, as
    :func:`check_template` guesses it; None for a file that cannot be read."""
    try:
        parts = read_parts(data)
    except TemplateError:
        return None
    return _best(parts, [v.name for v in kinds.vocabularies()], SandboxEnvironment())[0]


def wrong_kind(data: bytes, name: str, names: Iterable[str]) -> Optional[tuple[str, str]]:
    """(the template's kind, the data's kind), by title, when the template ``data``
    failed on ``name`` because it is made for another kind of document: ``name`` is in
    that kind's vocabulary and not in the data's (whose context holds ``names``), and
    the template's names fit that kind best. Else None. For an error message only: it
    checks the whole template once per kind."""
    names = set(names)
    top = {v.name: set(v.names.fields) for v in kinds.vocabularies()}
    data_kind = next((k for k, vocabulary in top.items() if names <= vocabulary), None)
    if data_kind is None or name in top[data_kind]:
        return None
    template_kind = guess_kind(data)
    if template_kind in (None, data_kind) or name not in top[template_kind]:
        return None
    return kinds.vocabulary(template_kind).title, kinds.vocabulary(data_kind).title

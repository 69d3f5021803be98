"""``reportgen template-check``: every problem of a Word template, found without data.

A template is read as its clerk sees it (:mod:`.document`), each tag on its own
(:mod:`.tags`) and the whole template (:mod:`.rules`): unknown variables, nested names
(``department.nmae``, ``t.titel`` in a loop, :mod:`.attributes`) and filters with the
nearest known name, misspelled or unbalanced tags, curly quotes in tags, tags
Word split so docxtpl cannot read them (or joins them only by breaking the document), ``{%tr %}`` rows that do not pair up. Each
problem says where it is: part, paragraph or table cell, and the text around it.
:func:`structural_problems` gives those problems that no data can make right, for
rendering to refuse the template (:mod:`.sandbox` is the Jinja environment both use).

    >>> from reportgen.templates import shipped
    >>> report = check_template(shipped("self-evaluation")[0])
    >>> report.kind, report.problems
    ('self-evaluation', [])
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple, Optional

import jinja2

from reportgen.context import NAMES, VOCABULARIES
from reportgen.errors import TemplateError
from reportgen.template_check.attributes import Value, top_level
from reportgen.template_check.document import read_template
from reportgen.template_check.rules import UNKNOWN_VARIABLE, TemplateProblem, check_parts
from reportgen.template_check.sandbox import SandboxEnvironment
from reportgen.templates import KIND_TITLES

__all__ = ["KIND_TITLES", "Report", "TemplateProblem", "check_template", "guess_kind",
           "known_names", "known_values", "structural_problems", "wrong_kind"]

#: document kind → what a clerk calls it.


class Report(NamedTuple):
    """The outcome of checking one template."""

    path: Path
    kind: str  # the document kind whose vocabulary the names were checked against
    guessed: bool  # True when the kind was not given
    problems: list[TemplateProblem]


def known_names(kind: str, env: jinja2.Environment) -> set[str]:
    """The names a template of ``kind`` may read: its vocabulary and Jinja's globals."""
    return set(known_values(kind, env))


def known_values(kind: str, env: jinja2.Environment) -> dict[str, Value]:
    """The names a template of ``kind`` may read, each with what it holds in the
    structured vocabulary (Jinja's globals: not known)."""
    return top_level(NAMES[kind], env.globals)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise TemplateError(f"找不到模板文件：{path}") from None
    except OSError as exc:
        raise TemplateError(f"无法读取模板文件 {path}：{exc.strerror}") from None


def check_template(path: str | Path, kind: Optional[str] = None) -> Report:
    """Check the template at ``path`` against ``kind``'s vocabulary; without ``kind``,
    the kind its folder names, else the kind whose vocabulary fits it best."""
    path = Path(path)
    parts = read_template(_read(path), f"模板 {path.name} ")
    env = SandboxEnvironment()
    if kind is not None:
        if kind not in VOCABULARIES:
            raise TemplateError(f"未知的文种 “{kind}”（可选：{'、'.join(VOCABULARIES)}）")
        return Report(path, kind, False, check_parts(parts, known_values(kind, env), env))
    folder = path.resolve().parent.name
    kinds = [folder] if folder in VOCABULARIES else list(VOCABULARIES)
    results = [(k, check_parts(parts, known_values(k, env), env)) for k in kinds]
    best, problems = min(results, key=_fit)  # ties: the first kind
    return Report(path, best, True, problems)


def _fit(result: tuple[str, list[TemplateProblem]]) -> tuple[int, int]:
    """How badly a kind fits: its unknown top-level names first (a nested typo says
    nothing about the kind), then all its problems."""
    problems = result[1]
    return sum(p.message.startswith(UNKNOWN_VARIABLE) for p in problems), len(problems)


def structural_problems(data: bytes, env: Optional[jinja2.Environment] = None) -> list[TemplateProblem]:
    """The problems of the .docx ``data`` that would make rendering lose or garble
    content whatever the data: unclosed or stray delimiters, tags across paragraphs,
    misspelled or unbalanced tags, blocks closed with another level (``{%p if %}`` …
    ``{% endif %}``) or in another place, unpaired ``{%tr %}`` rows. Names are not
    checked. A file that cannot be read as a template has none (docxtpl reports it)."""
    try:
        parts = read_template(data)
    except TemplateError:
        return []
    return check_parts(parts, None, env or SandboxEnvironment())


def guess_kind(data: bytes) -> Optional[str]:
    """The document kind whose vocabulary fits the .docx ``data`` best, as
    :func:`check_template` guesses it; None for a file that cannot be read."""
    try:
        parts = read_template(data)
    except TemplateError:
        return None
    env = SandboxEnvironment()
    results = [(k, check_parts(parts, known_values(k, env), env)) for k in VOCABULARIES]
    return min(results, key=_fit)[0]


def wrong_kind(data: bytes, name: str, names) -> Optional[tuple[str, str]]:
    """(the template's kind, the data's kind), in Chinese, when the template ``data``
    failed on ``name`` because it is made for another kind of document: ``name`` is in
    that kind's vocabulary and not in the data's (whose context holds ``names``), and
    the template's names fit that kind best. Else None. For an error message only: it
    checks the whole template once per kind."""
    names = set(names)
    data_kind = next((k for k, v in VOCABULARIES.items() if names <= set(v)), None)
    if data_kind is None or name in VOCABULARIES[data_kind]:
        return None
    template_kind = guess_kind(data)
    if template_kind in (None, data_kind) or name not in VOCABULARIES[template_kind]:
        return None
    return (KIND_TITLES.get(template_kind, template_kind), KIND_TITLES.get(data_kind, data_kind))

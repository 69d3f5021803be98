"""A Word template, read and checked once, rendering any number of documents.

Templates are untrusted: they run in the sandbox of :mod:`reportgen.language`. A
template whose tags do not fit together (a block opened with ``{%p`` and closed with
``{%``, an unclosed ``{{``, a tag across paragraphs, an unpaired ``{%tr %}``, a tag Word
split across the edge of a revision or hyperlink) would render with content silently
lost, so it is refused before any document, with every such mistake located. Names are
not checked here: whether a name exists depends on the data.

A failure while rendering is a :class:`~reportgen.errors.TemplateError` naming, in
Chinese, what is wrong and where (part, paragraph or table cell, the very tag); an
undefined name is an :class:`UndefinedNameError` carrying the name.

One :class:`Template` may be used from many threads at once.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Optional, Union

from reportgen.docx.package import refuse_oversized, standard_relationships, with_core_properties
from reportgen.docx.formats import as_document
from reportgen.errors import Place, Problem, TemplateError, TemplateNotFoundError, os_reason
from reportgen.language.cache import known_well_formed, remember_well_formed
from reportgen.language.environment import ReportEnvironment
from reportgen.language.limits import BUDGET, Budget
from reportgen.language.undefined import UndefinedName

if TYPE_CHECKING:
    from reportgen.docx.paragraphs import Part

__all__ = ["Template", "UndefinedNameError"]


class UndefinedNameError(TemplateError):
    """The template reads ``name``, which the data does not have; ``attribute`` says
    whether it was a name under another (``a.name``) or a variable."""

    def __init__(self, summary: str, problems: list[Problem], name: str, attribute: bool):
        super().__init__(summary, problems)
        self.name, self.attribute = name, attribute


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise TemplateNotFoundError(f"找不到模板文件：{path}") from None
    except IsADirectoryError:
        raise TemplateError(f"模板应为 .docx 文件，{path} 是文件夹") from None
    except OSError as exc:
        raise TemplateError(f"无法读取模板文件 {path}：{os_reason(exc)}") from None


class Template:
    """A Word template: ``Template(path_or_bytes).render_bytes(context) -> bytes`` (.docx).

    ``source`` is a path, or the .docx itself as bytes (then ``name``, else the file
    name of ``path``, names it in messages). ``time_limit``: seconds one document may
    take (default :data:`~reportgen.language.limits.DEFAULT_TIME_LIMIT`); every other
    limit of :mod:`reportgen.language.limits` holds too. Raises :class:`TemplateError`
    for a file that is missing (:class:`~reportgen.errors.TemplateNotFoundError`), not
    a Word document, with a part that inflates past a limit
    (:func:`~reportgen.docx.package.check_sizes`), or whose tags do not fit together
    (each mistake a problem with its place).
    A template rendered before (what its rendering needs kept by
    :mod:`reportgen.language.cache`) renders without python-docx or docxtpl; any other
    is read by python-docx once.
    """

    def __init__(self, source: Union[str, Path, bytes], name: Optional[str] = None,
                 path: Optional[Path] = None, time_limit: Optional[float] = None):
        given = isinstance(source, (bytes, bytearray))
        self.path = path if given else Path(source)
        self.name = name or (self.path.name if self.path else "（模板）")
        self.time_limit = time_limit
        raw = as_document(bytes(source) if given else _read(self.path), f"模板 {self.name}")
        refuse_oversized(raw, f"模板 {self.name} ")  # before python-docx inflates every part
        self.env, self.properties_env = ReportEnvironment(), ReportEnvironment(xml=False)
        self.data = self._standard(raw)
        from reportgen.engine.strategies import kept_parts_only
        self._kept = kept_parts_only(self.data, self.env)  # rendered before: python-docx not needed
        # Else the template's one reading by python-docx, which also tells it is a Word document.
        self._first = None if self._kept else self._load()
        self._parts: Optional[list[Part]] = None
        if not known_well_formed(self.data):  # checked once per template, not once per run
            from reportgen.language.structure import structural_problems
            problems = structural_problems(self.parts, self.env)
            if problems:
                raise TemplateError(f"模板 {self.name} 无法生成文档：", problems)
            remember_well_formed(self.data)
        self._strategies = None
        self._lock = threading.Lock()

    @property
    def parts(self) -> list[Part]:
        """The template's parts as a clerk reads them (paragraphs and their places), read
        when first needed: a template whose structure was checked before is rendered
        without reading them."""
        if self._parts is None:
            from reportgen.docx.paragraphs import read_parts
            # The sizes of the package it was made from were checked on reading it; it
            # only gained an empty document-properties part since.
            self._parts = read_parts(self.data, f"模板 {self.name} ", checked=True)
        return self._parts

    def _standard(self, raw: bytes) -> bytes:
        """The package with standard relationships and document properties."""
        try:
            return with_core_properties(standard_relationships(raw))
        except Exception:  # a corrupt or non-Word file: what lxml says means nothing to a clerk
            raise self._not_a_document() from None

    def _load(self):
        """The template as docxtpl loads it (python-docx reads every part)."""
        from reportgen.engine import docxtpl_adapter  # docxtpl's import is costly: only when needed
        try:
            return docxtpl_adapter.load(self.data, self.env, self.properties_env)
        except Exception:  # a corrupt or non-Word file: what python-docx says means nothing to a clerk
            raise self._not_a_document() from None

    def _not_a_document(self) -> TemplateError:
        return TemplateError(f"模板不是有效的Word文档（.docx）：{self.path or self.name}。请在Word或WPS中打开后"
                             f"另存为“Word文档（*.docx）”")

    def _prepared(self):
        """(the parts-only path or None, the whole-package path), made once."""
        with self._lock:
            if self._strategies is None:
                from reportgen.engine.strategies import WholePackage, parts_only
                whole = WholePackage(self.data, self.env, self.properties_env)
                fast = self._kept
                if fast is None:
                    try:
                        first = self._first if self._first is not None else self._load()
                        fast = parts_only(self.data, first, self.env)
                    except Exception:  # noqa: BLE001 - a package docxtpl renders only whole: render it so
                        fast = None
                self._strategies, self._first, self._kept = (fast, whole), None, None
            return self._strategies

    @property
    def parts_only(self):
        """The parts-only path (:class:`~reportgen.engine.strategies.PartsOnly`), or None
        when the template has tags where only the whole package renders them."""
        return self._prepared()[0]

    @property
    def whole_package(self):
        """The whole-package path (:class:`~reportgen.engine.strategies.WholePackage`)."""
        return self._prepared()[1]

    def render_bytes(self, context: dict[str, Any], time_limit: Optional[float] = None) -> bytes:
        """Render ``context`` (the names a template reads → values) into a complete,
        normalised .docx, within ``time_limit`` seconds (default: the template's).
        Raises :class:`TemplateError` (or :class:`UndefinedNameError`) naming what is
        wrong and where, also when the template asks for more than a limit allows."""
        if not isinstance(context, Mapping):  # a model passed for its context, say
            raise TypeError(f"render_bytes takes the template's context (a mapping such as "
                            f"reportgen.context(model)), not {type(context).__name__}")
        from reportgen.engine.strategies import RenderFailure
        fast, whole = self._prepared()
        budget = Budget(self.time_limit if time_limit is None else time_limit)
        if fast is not None:
            try:
                return fast.render_bytes({**context, BUDGET: budget})
            except Exception:  # noqa: BLE001 - the whole package path says what and where
                budget.restart()  # within the same time limit
        try:
            return whole.render_bytes({**context, BUDGET: budget})
        except RenderFailure as failed:
            raise self._error(failed, context) from failed.error

    def _error(self, failed, context: dict[str, Any]) -> TemplateError:
        from reportgen.language.explain import explain, template_line  # only when a render failed
        from reportgen.language.locate import failure_place
        exc = failed.error
        explained = explain(exc, context)
        where = Place("")
        if failed.failure is not None:
            part, source = failed.failure
            where = failure_place(self.parts, part, source, template_line(exc), explained.name)
        summary = f"模板 {self.name} 无法生成文档："
        problem = Problem(where, explained.message, hint=explained.hint)
        if isinstance(exc, UndefinedName) and exc.name is not None:
            return UndefinedNameError(summary, [problem], exc.name, exc.attribute)
        return TemplateError(summary, [problem])

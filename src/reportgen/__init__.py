"""reportgen: official budget-performance documents from typed data.

    >>> import reportgen
    >>> report = reportgen.load("samples/liwan-2023.json")      # doctest: +SKIP
    >>> reportgen.context(report)["budget"]["execution_rate"]  # doctest: +SKIP
    Decimal('97.85')
    >>> reportgen.render(report, "liwan.docx")                 # doctest: +SKIP

What ``__all__`` lists is the public API; the models are in :mod:`reportgen.model`.
Every other module is internal. The layers, each importing only those below it, are
drawn in README.md ("How it is built").
"""
from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportgen.api import (Document, check, context, from_dict, load, loads, render, render_bytes, to_dict,
                               to_json)
    from reportgen.errors import (DataError, DataNotice, Notice, Problem, ReportgenError, TemplateError,
                                  TemplateNotFoundError, TemplateNotice)

#: the public names, each read from its module when first asked for: ``import reportgen``
#: costs next to nothing, so that the command line is ready for a stop (SIGTERM) at once.
_LAZY = {**dict.fromkeys(("Document", "check", "context", "from_dict", "load", "loads", "render", "render_bytes",
                          "to_dict", "to_json"), "reportgen.api"),
         **dict.fromkeys(("DataError", "DataNotice", "Notice", "Problem", "ReportgenError", "TemplateError",
                          "TemplateNotFoundError", "TemplateNotice"), "reportgen.errors")}

__all__ = ["DataError", "DataNotice", "Document", "Notice", "Problem", "ReportgenError", "Template", "TemplateError",
           "TemplateNotFoundError", "TemplateNotice", "check", "check_template", "context", "from_dict", "load", "loads",
           "render", "render_bytes", "to_dict", "to_json"]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # asked once: a plain attribute from then on
        return value
    # Read only when asked for: the version's metadata look-up, and the engine and the
    # template linter (python-docx, docxtpl), cost more than the rest of a cold import.
    if name == "Template":
        from reportgen.engine import Template
        return Template
    if name == "check_template":
        from reportgen.template_check import check_template
        return check_template
    if name == "__version__":
        from importlib import metadata
        try:
            return metadata.version("reportgen")
        except metadata.PackageNotFoundError:  # a source tree that is not installed
            return "0+unknown"
    raise AttributeError(f"module 'reportgen' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """This package, whose name ``context`` is the public function, not the subpackage
    :mod:`reportgen.context` that importing it would bind there (and that the eager
    import of the API used to bind over)."""

    def __setattr__(self, name: str, value) -> None:
        if name == "context" and isinstance(value, types.ModuleType):
            return  # the subpackage: in sys.modules, imported by its full name
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

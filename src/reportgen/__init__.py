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

from reportgen.api import (Document, check, context, from_dict, load, loads, render, render_bytes, to_dict,
                           to_json)
from reportgen.errors import (DataError, DataNotice, Notice, Problem, ReportgenError, TemplateError,
                              TemplateNotFoundError, TemplateNotice)

__all__ = ["DataError", "DataNotice", "Document", "Notice", "Problem", "ReportgenError", "Template", "TemplateError",
           "TemplateNotFoundError", "TemplateNotice", "check", "check_template", "context", "from_dict", "load", "loads",
           "render", "render_bytes", "to_dict", "to_json"]


def __getattr__(name: str):
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

"""The render engine: a Word template and a context become a .docx.

:class:`Template` is the one public render class (``Template(path_or_bytes)
.render_bytes(context) -> bytes``); :mod:`.strategies` holds its two ways of rendering
(the whole package, the tagged parts only), :mod:`.docxtpl_adapter` is the only module
that touches docxtpl, :mod:`.store` keeps templates read once. Stands on
:mod:`reportgen.language` and :mod:`reportgen.docx`; docxtpl is imported only when a
template is first read.
"""
from reportgen.engine.store import TemplateStore, default_store
from reportgen.engine.template import Template, UndefinedNameError

__all__ = ["Template", "TemplateStore", "UndefinedNameError", "default_store"]

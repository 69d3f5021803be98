"""The template context: the documented vocabulary a Word template may use.

Each document kind has its builder and, declared once next to it, the tree of every name
a template may reach (``NAMES``, see :mod:`.vocabulary`); the kind is registered with
both in :mod:`reportgen.kinds`, which is the one place that maps a kind to them.
docs/template-guide.md is generated from the trees and template-check resolves
``a.b.c`` against them, so what is documented is what exists.
"""

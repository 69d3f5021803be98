"""Where templates live: kept only while callers move to :mod:`reportgen.kinds` (internal)."""
from reportgen.kinds import all_kinds, resolve_template as resolve, shipped, templates_dir

KIND_TITLES = {kind.name: kind.title for kind in all_kinds()}

__all__ = ["KIND_TITLES", "resolve", "shipped", "templates_dir"]

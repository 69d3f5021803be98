"""The one folder where reportgen keeps what it may reuse between runs, and nothing else.

``$REPORTGEN_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/reportgen``, else
``~/.cache/reportgen``; ``REPORTGEN_NO_CACHE=1`` keeps nothing. What lives there is
only ever a cache: compiled template code and LibreOffice profiles, each keyed so that a
stale or foreign entry is never used, written atomically so that two processes at
once are safe. Where no folder can be made, nothing is cached and nothing fails.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional


def cache_folder(*parts: str) -> Optional[Path]:
    """The cache sub-folder ``parts`` (made, for this user only); None when caching is
    off or no folder can be made."""
    if os.environ.get("REPORTGEN_NO_CACHE"):
        return None
    base = os.environ.get("REPORTGEN_CACHE_DIR")
    if not base:
        home = os.environ.get("XDG_CACHE_HOME") or (str(Path.home() / ".cache") if os.environ.get("HOME") else "")
        base = str(Path(home) / "reportgen") if home else ""
    if not base:
        return None
    folder = Path(base).joinpath(*parts)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None

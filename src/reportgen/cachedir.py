"""The one folder where reportgen keeps what it may reuse between runs, and nothing else.

``$REPORTGEN_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/reportgen`` (an absolute one, as
the XDG Base Directory spec says), else ``~/.cache/reportgen``; ``REPORTGEN_NO_CACHE=1``
keeps nothing. What lives there is only ever a cache: compiled template code and
LibreOffice profiles, each keyed so that a stale or foreign entry is never used, written
atomically so that two processes at once are safe. Compiled code is run and profiles
are loaded from there, so a folder another user could write to is never used (Jinja's
own default bytecode folder is held to the same rule). Where no safe folder can be
made, nothing is cached and nothing fails.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Optional

#: what no one but the owner may do in a cache folder.
_OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH


def cache_root() -> Optional[Path]:
    """The cache folder as the environment names it (perhaps not made yet); None when
    caching is off or no folder is named."""
    if os.environ.get("REPORTGEN_NO_CACHE"):
        return None
    base = os.environ.get("REPORTGEN_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        home = xdg if os.path.isabs(xdg) else (str(Path.home() / ".cache") if os.environ.get("HOME") else "")
        base = str(Path(home) / "reportgen") if home else ""
    return Path(base) if base else None


def cache_folder(*parts: str) -> Optional[Path]:
    """The cache sub-folder ``parts`` (made, for this user only); None when caching is
    off, or no folder can be made that only this user can write to."""
    root = cache_root()
    if root is None:
        return None
    folder = root.joinpath(*parts)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    if not all(_owned(path) for path in (root, *(root.joinpath(*parts[:n]) for n in range(1, len(parts) + 1)))):
        return None
    return folder if os.access(folder, os.W_OK) else None


def _owned(path: Path) -> bool:
    """Whether ``path`` is a folder (not a link) of this user's that no one else may
    write to; a folder of this user's that others may write to is closed to them first."""
    try:
        status = os.lstat(path)
        if not stat.S_ISDIR(status.st_mode) or (hasattr(os, "getuid") and status.st_uid != os.getuid()):
            return False
        if status.st_mode & _OTHERS_WRITE:
            os.chmod(path, stat.S_IMODE(status.st_mode) & ~_OTHERS_WRITE)
        return True
    except OSError:
        return False

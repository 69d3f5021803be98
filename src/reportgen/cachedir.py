"""The one folder where reportgen keeps what it may reuse between runs, and nothing else.

``$REPORTGEN_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/reportgen`` (an absolute one, as
the XDG Base Directory spec says), else ``~/.cache/reportgen``; ``REPORTGEN_NO_CACHE=1``
keeps nothing. What lives there is only ever a cache: compiled template code and
LibreOffice profiles, each keyed so that a stale or foreign entry is never used, written
atomically so that two processes at once are safe. Compiled code is run and profiles
are loaded from there, so a folder another user could write to is never used (Jinja's
own default bytecode folder is held to the same rule) and no folder's permissions are
changed to make it fit. Where no safe folder can be made, nothing is cached and nothing
fails.
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
    base = os.environ.get("REPORTGEN_CACHE_DIR", "").strip()
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        home = xdg if os.path.isabs(xdg) else (str(Path.home() / ".cache") if os.environ.get("HOME") else "")
        base = str(Path(home) / "reportgen") if home else ""
    return Path(base) if base else None


def cache_folder(*parts: str) -> Optional[Path]:
    """The cache sub-folder ``parts``, made for this user only; None when caching is off,
    or when the folder or one above it up to the cache folder is not a folder of this
    user's that only this user may write to. Nothing is made under a folder that is not,
    and no folder's permissions are changed: one named by ``$REPORTGEN_CACHE_DIR`` may
    be shared on purpose, and is then simply not used."""
    folder = cache_root()
    if folder is None or not _made(folder, parents=True):
        return None
    for part in parts:
        folder = folder / part
        if not _made(folder):
            return None
    return folder if os.access(folder, os.W_OK) else None


def _made(path: Path, parents: bool = False) -> bool:
    """Whether ``path`` is (now) a folder of this user's that no one else may write to;
    made, for this user only, when missing (its own parents too, with ``parents``)."""
    try:
        if parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError:
        return False
    try:
        status = os.lstat(path)
    except OSError:
        return False
    mine = not hasattr(os, "getuid") or status.st_uid == os.getuid()
    return stat.S_ISDIR(status.st_mode) and mine and not status.st_mode & _OTHERS_WRITE

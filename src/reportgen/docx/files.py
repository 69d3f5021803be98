"""Writing a file atomically: complete, or not at all; no process-wide state touched.

The temporary file is created with mode 0o666, so the process umask applies to it as to
any file the user writes (``tempfile.mkstemp``'s 0o600 would hide reports from
colleagues, and reading the umask means setting it, which other threads would see).
"""
from __future__ import annotations

import glob
import hashlib
import os
from pathlib import Path

from reportgen.errors import ReportgenError, os_reason

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def _prefix(path: Path) -> str:
    """The start of every temporary name for ``path``: the name's first 40 characters (so
    a clerk sees whose it is, and it stays short however long the name: 160 bytes at
    most) and a digest of the whole name (so no two names share it)."""
    digest = hashlib.sha1(os.fsencode(path.name)).hexdigest()[:8]
    return f".{path.name[:40]}.{digest}"


def partial_files(path: str | os.PathLike) -> list[Path]:
    """The temporary files a write of ``path`` left behind (a process killed mid-write)."""
    path = Path(path)
    return sorted(path.parent.glob(glob.escape(_prefix(path)) + ".*.part"))


def _temporary(path: Path) -> tuple[int, Path]:
    """A new, empty file beside ``path``, open for writing, with a name no one else has."""
    for _ in range(100):
        tmp = path.with_name(f"{_prefix(path)}.{os.urandom(4).hex()}.part")
        try:
            return os.open(tmp, _FLAGS, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def _not_a_folder(path: Path) -> str:
    """Why a folder of ``path`` cannot be made: the nearest one that is a file."""
    blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    return f"路径中的 {blocking} 是文件，不是文件夹" if blocking else "路径中有一项不是文件夹"


def write_atomically(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that it appears complete or not at all.

    Missing folders are made. Raises :class:`ReportgenError` naming ``path`` (not the
    temporary file) when it cannot be written; an existing file is then left as it was.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _temporary(path)
    except FileExistsError:  # mkdir met a file where a folder belongs
        raise ReportgenError(f"无法写入 {path}：{_not_a_folder(path)}") from None
    except OSError as exc:  # name the file the user asked for, not our temporary one
        raise ReportgenError(f"无法写入 {path}：{os_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ReportgenError(f"无法写入 {path}：{os_reason(exc)}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path

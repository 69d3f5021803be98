"""Writing a file atomically: complete, or not at all; no process-wide state touched.

The temporary file is created with mode 0o666, so the process umask applies to it as to
any file the user writes (``tempfile.mkstemp``'s 0o600 would hide reports from
colleagues, and reading the umask means setting it, which other threads would see).
"""
from __future__ import annotations

import os
from pathlib import Path

from reportgen.errors import ReportgenError, os_reason

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def _temporary(path: Path) -> tuple[int, Path]:
    """A new, empty file beside ``path``, open for writing, with a name no one else has."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.part")
        try:
            return os.open(tmp, _FLAGS, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def write_atomically(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that it appears complete or not at all.

    Missing folders are made. Raises :class:`ReportgenError` naming ``path`` (not the
    temporary file) when it cannot be written; an existing file is then left as it was.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _temporary(path)
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

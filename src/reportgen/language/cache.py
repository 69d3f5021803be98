"""Compiled template code kept between runs: one report from the command line need not
compile its template again, nor check a template whose structure it has checked before.

Compiling a report template's parts costs about 20 ms and checking its structure about
15 ms, a fifth of a one-report run; a template rarely changes between runs. Jinja's own
bytecode cache (:class:`jinja2.FileSystemBytecodeCache`, written atomically) keeps the
code under :mod:`reportgen.cachedir`, in a folder named by a fingerprint of the code that
shapes it (this package, the package floor, the engine and the linter; Jinja, docxtpl,
python-docx, lxml and Python): code compiled by another
version is never used. A template found well formed, the package a rendering leaves for its
untagged parts, and what of it does not reach a report are remembered by the digest of
its bytes in the same folder. Each entry is keyed by content and sealed with the digest
of what was written, so what is read back is what would be computed: an entry damaged on
disk is computed again. Where there is no cache folder, everything is computed as before.
A folder of code no run has used for :data:`UNUSED_DAYS` days is removed.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import io
import shutil
import sys
import time
from pathlib import Path
from typing import Optional

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache

from reportgen.cachedir import cache_folder
from reportgen.docx.files import write_atomically
from reportgen.errors import ReportgenError

_PACKAGE = Path(__file__).resolve().parents[1]
#: the code whose output is cached: the template language, the package floor, the engine,
#: the linter, and the problem record whose text the linter's findings are kept as.
_SOURCES = [_PACKAGE / "language", _PACKAGE / "docx", _PACKAGE / "engine", _PACKAGE / "template_check",
            _PACKAGE / "errors.py"]
#: days after which the folder of code no run uses any more is removed.
UNUSED_DAYS = 30
_DIGEST = hashlib.sha256().digest_size


@functools.lru_cache(maxsize=1)
def _fingerprint() -> str:
    # Size and modification time of each source, as Python's own bytecode cache judges a
    # .py file (PEP 552's default); the libraries by where their code is installed. Reading
    # their versions through importlib.metadata would cost a tenth of a one-report run.
    digest = hashlib.sha256(f"{sys.version}|{jinja2.__version__}".encode())
    for name in ("docxtpl", "docx", "lxml"):
        spec = importlib.util.find_spec(name)
        digest.update(_stamp(Path(spec.origin)) if spec and spec.origin else b"?")
    for source in _SOURCES:
        for path in sorted(source.glob("*.py")) if source.is_dir() else [source]:
            digest.update(_stamp(path))
    return digest.hexdigest()[:16]


def _stamp(path: Path) -> bytes:
    try:
        status = path.stat()
    except OSError:
        return str(path).encode() + b"?"
    return f"{path}|{status.st_size}|{status.st_mtime_ns}".encode()


def _folder() -> Optional[Path]:
    folder = cache_folder("templates-" + _fingerprint())
    if folder is not None:
        _used(folder)
    return folder


@functools.lru_cache(maxsize=None)
def _used(folder: Path) -> None:
    """Stamp ``folder`` as used (once a process), and remove the folders of other code
    (an older install, an edited source) that no run has used for :data:`UNUSED_DAYS`."""
    stamp = folder / "used"
    try:
        stamp.touch()
    except OSError:
        return
    unused = time.time() - UNUSED_DAYS * 86400
    for other in folder.parent.glob("templates-*"):
        if other != folder and _last_used(other) < unused:
            shutil.rmtree(other, ignore_errors=True)


def _last_used(folder: Path) -> float:
    for path in (folder / "used", folder):
        try:
            return path.stat().st_mtime
        except OSError:
            continue
    return time.time()  # gone already, or unreadable: left alone


def _sealed(value: bytes) -> bytes:
    """``value`` followed by its digest, so that a damaged entry is known as such."""
    return value + hashlib.sha256(value).digest()


def _opened(kept: bytes) -> Optional[bytes]:
    """What :func:`_sealed` sealed, or None when ``kept`` is not what was written."""
    value, digest = kept[:-_DIGEST], kept[-_DIGEST:]
    return value if len(kept) >= _DIGEST and hashlib.sha256(value).digest() == digest else None


def _write(path: Path, value: bytes) -> None:
    """Write ``value`` sealed to ``path`` atomically (no fsync: a lost entry is computed
    again); a failure costs the cache only. Interrupted, it leaves no half-written file."""
    with contextlib.suppress(ReportgenError):  # write_atomically's failure to write
        write_atomically(path, _sealed(value))


def _read(path: Path) -> Optional[bytes]:
    try:
        return _opened(path.read_bytes())
    except OSError:
        return None


class _SealedBytecodeCache(FileSystemBytecodeCache):
    """Jinja's bytecode cache with each file sealed: compiled code is run, so a file
    damaged on disk is compiled again rather than loaded."""

    def load_bytecode(self, bucket: Bucket) -> None:
        code = _read(Path(self._get_cache_filename(bucket)))
        if code is not None:
            bucket.load_bytecode(io.BytesIO(code))

    def dump_bytecode(self, bucket: Bucket) -> None:
        out = io.BytesIO()
        bucket.write_bytecode(out)
        _write(Path(self._get_cache_filename(bucket)), out.getvalue())


def bytecode_cache() -> Optional[FileSystemBytecodeCache]:
    """Jinja's bytecode cache in the cache folder; None where there is none."""
    folder = _folder()
    return None if folder is None else _SealedBytecodeCache(str(folder))


def compile_cached(env: jinja2.Environment, source: str, flavour: str) -> jinja2.Template:
    """What ``jinja2.Environment.from_string(env, source)`` gives, its code read from the
    cache when compiled before. ``flavour`` names what else shapes the code (the
    environment's output mode)."""
    cache = bytecode_cache()
    if cache is None:
        return env.template_class.from_code(env, env.compile(source), env.make_globals(None), None)
    name = flavour + hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
    bucket = cache.get_bucket(env, name, None, source)
    if bucket.code is None:
        bucket.code = env.compile(source)
        cache.set_bucket(bucket)  # a full disk costs the cache, never the report
    return env.template_class.from_code(env, bucket.code, env.make_globals(None), None)


def entry(data: bytes, what: str) -> Optional[Path]:
    """Where the cache keeps ``what`` (a name) derived from the template ``data``; None
    where there is no cache folder."""
    folder = _folder()
    return None if folder is None else folder / f"{what}-{hashlib.sha256(data).hexdigest()}"


def read_entry(data: bytes, what: str) -> Optional[bytes]:
    """The bytes kept for ``what`` of ``data``, or None (none kept, or damaged since)."""
    path = entry(data, what)
    return None if path is None else _read(path)


def write_entry(data: bytes, what: str, value: bytes) -> None:
    """Keep ``value`` for ``what`` of ``data``, atomically; a failure costs the cache only."""
    path = entry(data, what)
    if path is not None:
        _write(path, value)


def known_well_formed(data: bytes) -> bool:
    """Whether the template ``data`` was found well formed by this code before."""
    return read_entry(data, "ok") is not None


def remember_well_formed(data: bytes) -> None:
    """Remember that the template ``data`` is well formed (its structure has no problem)."""
    write_entry(data, "ok", b"")

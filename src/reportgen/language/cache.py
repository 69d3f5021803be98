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
its bytes in the same folder. Each entry is keyed by content, so what is read back is what
would be computed; where there is no cache folder, everything is computed as before.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import sys
import threading
from pathlib import Path
from typing import Optional

import jinja2
from jinja2.bccache import FileSystemBytecodeCache

from reportgen.cachedir import cache_folder

_PACKAGE = Path(__file__).resolve().parents[1]
#: the code whose output is cached: the template language, the package floor, the engine.
_SOURCES = [_PACKAGE / "language", _PACKAGE / "docx", _PACKAGE / "engine", _PACKAGE / "template_check"]


@functools.lru_cache(maxsize=1)
def _fingerprint() -> str:
    # Size and modification time of each source, as Python's own bytecode cache judges a
    # .py file (PEP 552's default); the libraries by where their code is installed. Reading
    # their versions through importlib.metadata would cost a tenth of a one-report run.
    digest = hashlib.sha256(f"{sys.version}|{jinja2.__version__}".encode())
    for name in ("docxtpl", "docx", "lxml"):
        spec = importlib.util.find_spec(name)
        digest.update(_stamp(Path(spec.origin)) if spec and spec.origin else b"?")
    for folder in _SOURCES:
        for path in sorted(folder.glob("*.py")):
            digest.update(_stamp(path))
    return digest.hexdigest()[:16]


def _stamp(path: Path) -> bytes:
    try:
        status = path.stat()
    except OSError:
        return str(path).encode() + b"?"
    return f"{path}|{status.st_size}|{status.st_mtime_ns}".encode()


def _folder() -> Optional[Path]:
    return cache_folder("templates-" + _fingerprint())


def bytecode_cache() -> Optional[FileSystemBytecodeCache]:
    """Jinja's bytecode cache in the cache folder; None where there is none."""
    folder = _folder()
    return None if folder is None else FileSystemBytecodeCache(str(folder))


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
        try:
            cache.set_bucket(bucket)
        except OSError:  # a full disk costs the cache, never the report
            pass
    return env.template_class.from_code(env, bucket.code, env.make_globals(None), None)


def _mark(data: bytes) -> Optional[Path]:
    return entry(data, "ok")


def entry(data: bytes, what: str) -> Optional[Path]:
    """Where the cache keeps ``what`` (a name) derived from the template ``data``; None
    where there is no cache folder."""
    folder = _folder()
    return None if folder is None else folder / f"{what}-{hashlib.sha256(data).hexdigest()}"


def read_entry(data: bytes, what: str) -> Optional[bytes]:
    """The bytes kept for ``what`` of ``data``, or None."""
    path = entry(data, what)
    try:
        return None if path is None else path.read_bytes()
    except OSError:
        return None


def write_entry(data: bytes, what: str, value: bytes) -> None:
    """Keep ``value`` for ``what`` of ``data``, atomically; a failure costs the cache only."""
    path = entry(data, what)
    if path is None:
        return
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        tmp.write_bytes(value)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def known_well_formed(data: bytes) -> bool:
    """Whether the template ``data`` was found well formed by this code before."""
    mark = _mark(data)
    return mark is not None and mark.exists()


def remember_well_formed(data: bytes) -> None:
    """Remember that the template ``data`` is well formed (its structure has no problem)."""
    mark = _mark(data)
    if mark is not None:
        try:
            mark.touch()
        except OSError:
            pass

"""Templates read once and kept: a bounded, thread-safe store, shaped like Jinja's loaders.

A store answers :meth:`TemplateStore.get` with the :class:`~reportgen.engine.template.Template`
of a file, reading and checking it only the first time, or again when the file changed
(its modification time or size). :meth:`TemplateStore.get_source` is the loader's half:
the file's bytes, its name, and a function telling whether it is still up to date.
Threads asking for one template at once wait for one reading; threads asking for two
templates read both at once. :data:`default_store` serves ``reportgen.render`` and
``batch`` workers (one per process).
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Callable, Optional

from reportgen.engine.template import Template

_Stamp = tuple[int, int]  # (mtime in ns, size in bytes)


def _stamp(path: Path) -> Optional[_Stamp]:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


class _Slot:
    """One template file's place in the store: its template once read, whether that is
    still up to date, and the lock under which it is read."""

    def __init__(self):
        self.lock = threading.Lock()
        self.template: Optional[Template] = None
        self.uptodate: Callable[[], bool] = lambda: False


class TemplateStore:
    """At most ``size`` templates, the least recently used dropped first."""

    def __init__(self, size: int = 16):
        self.size = size
        self._slots: OrderedDict[Path, _Slot] = OrderedDict()
        self._lock = threading.Lock()

    def get_source(self, path: str | os.PathLike) -> tuple[bytes, str, Callable[[], bool]]:
        """(the file's bytes, its name, a function true while the file is unchanged)."""
        path = Path(path).resolve()
        stamp = _stamp(path)
        data = path.read_bytes()
        return data, str(path), lambda: stamp is not None and _stamp(path) == stamp

    def get(self, path: str | os.PathLike) -> Template:
        """The template at ``path``, read and checked once while the file is unchanged.
        Raises :class:`~reportgen.errors.TemplateError` as :class:`Template` does."""
        path = Path(path).resolve()
        if _stamp(path) is None:
            return Template(path)  # raises the TemplateError that names the problem
        with self._lock:
            slot = self._slots.get(path)
            if slot is None:
                slot = self._slots[path] = _Slot()
            self._slots.move_to_end(path)
            while len(self._slots) > self.size:
                self._slots.popitem(last=False)
        with slot.lock:
            if slot.template is None or not slot.uptodate():
                try:
                    data, _name, uptodate = self.get_source(path)
                except OSError:  # gone since: the TemplateError that names the problem
                    return Template(path)
                slot.template, slot.uptodate = Template(data, path=path), uptodate
            return slot.template

    def clear(self) -> None:
        """Forget every template (for measurements that start cold)."""
        with self._lock:
            self._slots.clear()


#: the store of ``reportgen.render`` and of each ``batch`` worker process.
default_store = TemplateStore()

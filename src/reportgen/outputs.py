"""A folder that one rendering fills with a file per item (``--document project-tables``).

The folder should say what the data says: a project removed from the data, or moved
so its number changed, must not leave its old table behind among the new ones. But a
folder is the clerk's, and reportgen deletes nothing it did not write. So each
rendering leaves beside its files a list of what it wrote, with a digest of each
(:data:`RECORD`, a small JSON file), and the next rendering into the folder:

- deletes a file that list names, that this rendering does not write again, and whose
  bytes are still those written (nobody changed it: nothing is lost);
- keeps a file the list names that has changed since (a clerk edited it), and says so;
- keeps any other table-like file (``NN-名称.docx``: one written before this list
  existed, or by hand) that this rendering does not write, and names it too.

What was deleted and what was kept is issued as an :class:`~reportgen.errors.OutputNotice`
(the command line prints it as "注意：…"). A record that cannot be read is ignored,
and a name in it that is not a plain table name in this folder is never touched.
"""
from __future__ import annotations

import hashlib
import json
import re
import warnings
from pathlib import Path

from reportgen.docx.files import write_atomically
from reportgen.errors import OutputNotice

#: the list of the files the last rendering wrote into the folder, with their digests.
RECORD = ".reportgen-files.json"
#: a name as :func:`reportgen.api.file_name` makes it: "03-水旱灾害防御经费.docx".
TABLE_NAME = re.compile(r"\d{2,}-[^/\\]*\.docx")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _recorded(folder: Path) -> dict[str, str]:
    """name → digest of each file the last rendering wrote; {} without a readable record."""
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = record.get("files") if isinstance(record, dict) else None
    if not isinstance(files, dict):
        return {}
    return {name: digest for name, digest in files.items()
            if isinstance(name, str) and isinstance(digest, str) and TABLE_NAME.fullmatch(name)}


def _unchanged(path: Path, digest: str) -> bool:
    try:
        return path.is_file() and _digest(path.read_bytes()) == digest
    except OSError:
        return False


def write_folder(folder: Path, files: list[tuple[str, bytes]], title: str) -> list[Path]:
    """Write ``files`` (name, bytes) into ``folder`` and leave it as the data says
    (module docstring); the paths written, in order. ``title`` names the documents
    in the notices ("项目支出绩效自评表")."""
    before = _recorded(folder)
    paths = [write_atomically(folder / name, data) for name, data in files]
    record = {"written_by": "reportgen", "files": {name: _digest(data) for name, data in files}}
    write_atomically(folder / RECORD, json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
    _tidy(folder, {name for name, _ in files}, before, title)
    return paths


def _tidy(folder: Path, written: set[str], before: dict[str, str], title: str) -> None:
    removed, edited = [], []
    for name, digest in sorted(before.items()):
        path = folder / name
        if name in written or not path.exists():
            continue
        if _unchanged(path, digest):
            try:
                path.unlink()
                removed.append(name)
                continue
            except OSError:  # open in Word, say: kept, and said
                pass
        edited.append(name)
    others = sorted(p.name for p in folder.glob("*.docx")
                    if TABLE_NAME.fullmatch(p.name) and p.name not in written and p.name not in before)
    _notify(folder, title, removed, edited, others)


def _notify(folder: Path, title: str, removed: list[str], edited: list[str], others: list[str]) -> None:
    def names(items: list[str]) -> str:
        return "、".join(items)
    if removed:
        warnings.warn(OutputNotice(f"已删除文件夹 {folder} 中上次生成、本次数据中已没有对应项目的{title}："
                                   f"{names(removed)}"), stacklevel=4)
    if edited:
        warnings.warn(OutputNotice(f"文件夹 {folder} 中的 {names(edited)} 是上次生成的{title}，本次数据中已没有对应项目，"
                                   f"但生成后被修改过（或无法删除），未删除：请核对后自行处理"), stacklevel=4)
    if others:
        warnings.warn(OutputNotice(f"文件夹 {folder} 中的 {names(others)} 不是本次生成的（数据中没有对应项目），"
                                   f"reportgen 没有删除：如已不需要，请手动删除，以免与本次生成的{title}混在一起"),
                      stacklevel=4)

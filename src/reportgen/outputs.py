"""A folder that one rendering fills with a file per item (``--document project-tables``).

The folder should say what the data says: a project removed from the data, or moved
so its number changed, must not leave its old table behind among the new ones. But a
folder is the clerk's, and reportgen deletes nothing it did not write. So each
rendering leaves beside its files a list of what it wrote, with a digest of each,
under the data it wrote them for (department and year: :data:`RECORD`, a small JSON
file that keeps such a list for each department and year rendered there), and the next
rendering of the same department and year into the folder:

- deletes a file its list names, that this rendering does not write again, and whose
  bytes are still those written (nobody changed it: nothing is lost);
- keeps a file the list names that has changed since (a clerk edited it), and says so;
- keeps every file written for other data (another department's tables, or another
  year's, sharing the folder), and names them once;
- keeps any other table-like file (``NN-名称.docx``: one written before this list
  existed, or by hand) that this rendering does not write, and names it too.

A table whose project is still in the data under another number (a project before it
was removed) is said to be that: its name changed with the numbering.
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
from typing import Any, Mapping, Optional

from reportgen.docx.files import write_atomically
from reportgen.errors import OutputNotice

#: the lists of the files the last rendering of each data wrote into the folder, with their digests.
RECORD = ".reportgen-files.json"
#: a name as :func:`reportgen.api.file_name` makes it: "03-水旱灾害防御经费.docx".
TABLE_NAME = re.compile(r"\d{2,}-[^/\\]*\.docx")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


#: the data one list of a record is for ({"department": …, "year": …}), None when unknown.
Whose = Optional[dict[str, Any]]


def _files(files: Any) -> dict[str, str]:
    if not isinstance(files, dict):
        return {}
    return {name: digest for name, digest in files.items()
            if isinstance(name, str) and isinstance(digest, str) and TABLE_NAME.fullmatch(name)}


def _recorded(folder: Path) -> list[tuple[Whose, dict[str, str]]]:
    """(the data, name → digest of each file written for it) of each rendering the
    folder's record keeps; [] without a readable record. A record of an earlier version
    (one list, no data named) is one list for unknown data."""
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(record, dict):
        return []
    if "renderings" not in record:
        return [(None, _files(record.get("files")))]
    kept = record["renderings"] if isinstance(record["renderings"], list) else []
    return [(_whose(entry.get("data")), _files(entry.get("files"))) for entry in kept if isinstance(entry, dict)]


def _whose(data: Any) -> Whose:
    return data if isinstance(data, dict) and data else None


def _unchanged(path: Path, digest: str) -> bool:
    try:
        return path.is_file() and _digest(path.read_bytes()) == digest
    except OSError:
        return False


def whose_words(whose: Whose) -> str:
    """The data a rendering was for, in words: "广州市荔湾区商务和投资促进局2023年"."""
    if not whose:
        return "未注明部门和年度的数据"
    year = whose.get("year")
    return f"{whose.get('department') or ''}{f'{year}年' if year else ''}"


def write_folder(folder: Path, files: list[tuple[str, bytes]], title: str,
                 whose: Optional[Mapping[str, Any]] = None) -> list[Path]:
    """Write ``files`` (name, bytes) into ``folder`` and leave it as the data says
    (module docstring); the paths written, in order. ``title`` names the documents
    in the notices ("项目支出绩效自评表"); ``whose`` is the data they are made from
    ({"department": …, "year": …}): only a list recorded for the same data is tidied
    (none when ``whose`` is not given)."""
    mine: Whose = dict(whose) if whose else None
    written = {name for name, _ in files}
    own: dict[str, str] = {}
    others: list[tuple[Whose, dict[str, str]]] = []
    for data, listed in _recorded(folder):
        if mine is not None and data == mine:
            own.update(listed)
        else:  # another's: kept as listed, but for what this rendering writes over
            others.append((data, {n: d for n, d in listed.items() if n not in written and (folder / n).exists()}))
    others = [(data, listed) for data, listed in others if listed]
    paths = [write_atomically(folder / name, data) for name, data in files]
    renderings = [(mine, {name: _digest(data) for name, data in files}), *others]
    record = {"written_by": "reportgen",
              "renderings": [{"data": data or {}, "files": listed} for data, listed in renderings]}
    write_atomically(folder / RECORD, json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
    _notify_others(folder, title, others)
    _tidy(folder, written, own, title, {name for _, listed in others for name in listed})
    return paths


def _notify_others(folder: Path, title: str, others: list[tuple[Whose, dict[str, str]]]) -> None:
    """Files written for other data: kept, all of them, and each named once."""
    for data, listed in others:
        warnings.warn(OutputNotice(f"文件夹 {folder} 中的 {'、'.join(sorted(listed))} 是为{whose_words(data)}"
                                   f"生成的{title}，不是本次数据的，reportgen 没有删除"), stacklevel=4)


def _tidy(folder: Path, written: set[str], before: dict[str, str], title: str, foreign: set[str]) -> None:
    """Delete what ``before`` (this data's last list) names that is no longer written
    and unchanged, and say what is left; ``foreign`` files (other data's) are said already."""
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
                    if TABLE_NAME.fullmatch(p.name) and p.name not in written | set(before) | foreign)
    _notify(folder, title, written, removed, edited, others)


def _item(name: str) -> str:
    """The item's part of a table's name: "03-戊项目.docx" → "戊项目.docx"."""
    return name.split("-", 1)[1]


def _why(names: list[str], written: set[str]) -> str:
    """Each name, with why this rendering did not write it: its project is gone, or is
    still there under another number (the name changed with the numbering)."""
    now = {_item(name): name for name in sorted(written)}
    return "、".join(f"{name}（项目编号改变，本次为 {now[_item(name)]}）" if _item(name) in now
                    else f"{name}（本次数据中已没有对应项目）" for name in names)


def _notify(folder: Path, title: str, written: set[str], removed: list[str], edited: list[str],
            others: list[str]) -> None:
    if removed:
        warnings.warn(OutputNotice(f"已删除文件夹 {folder} 中上次生成、本次不再生成的{title}：{_why(removed, written)}"),
                      stacklevel=4)
    if edited:
        warnings.warn(OutputNotice(f"文件夹 {folder} 中的 {_why(edited, written)} 是上次生成的{title}，本次不再生成，"
                                   f"但生成后被修改过（或无法删除），未删除：请核对后自行处理"), stacklevel=4)
    if others:
        warnings.warn(OutputNotice(f"文件夹 {folder} 中的 {'、'.join(others)} 不是本次生成的，"
                                   f"reportgen 没有删除：如已不需要，请手动删除，以免与本次生成的{title}混在一起"),
                      stacklevel=4)

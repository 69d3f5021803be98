"""JSON → model: the one place where data files become typed models.

Numbers are parsed as Decimal, never float. A strict cattrs converter
(:mod:`.hooks`) structures the JSON — no unknown keys, no silent str() of numbers,
no text where a list belongs, no negative money — and every failure becomes a
:class:`~reportgen.errors.DataError` whose problems (:mod:`.problems`) name the
JSON path, the value found and, for an unknown key, the nearest known one.

Loading knows no document kinds: the caller gives the models a data file's ``"kind"``
may name (``{"self-evaluation": SelfEvaluationReport, …}``, from :mod:`reportgen.kinds`).
"""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, Mapping

import attrs

from reportgen.errors import DataError, DataNotice, Problem, did_you_mean, os_reason, suggest
from reportgen.loading.hooks import CONVERTER, show, type_name
from reportgen.loading.jsontext import parse, parse_json
from reportgen.loading.measures import read_measure
from reportgen.loading.problems import structure

__all__ = ["CONVERTER", "load", "loads", "parse_json", "read_measure", "read_text", "structure"]

def _kind_problem(kind: Any, models: Mapping[str, type]) -> Problem:
    known = "、".join(f"“{k}”" for k in models)
    if kind is None:
        return Problem("$.kind", f"缺少文种 “kind”（可选：{known}）")
    return Problem("$.kind", f"未知的文种 {show(kind)}",
                   hint=did_you_mean(suggest(kind, models)) or f"可选：{known}")


def loads(text: str, models: Mapping[str, type], source: str = "数据") -> Any:
    """JSON text → the model that its ``"kind"`` names in ``models`` (kind → model class).

    Raises :class:`DataError` with every problem found, each with its JSON path.
    """
    data, problems = parse(text, source)
    if not isinstance(data, dict):
        raise DataError(f"{source}不符合要求：", [Problem("$", f"应为对象，实际为{type_name(data)}")])
    body = dict(data)
    kind = body.pop("kind", None)
    if not isinstance(kind, str) or kind not in models:
        raise DataError(f"{source}不符合要求：", problems + [_kind_problem(kind, models)])
    try:
        model = structure(body, models[kind], source)
    except DataError as exc:  # listed with the file's other problems, each place once
        seen = {p.path for p in problems}
        problems += [p for p in exc.problems if p.path not in seen]
    if problems:
        raise DataError(f"{source}不符合要求（{len(problems)}处）：", problems)
    return model


def _beside(model: Any, folder: Path) -> Any:
    """A template path the data names is relative to the data file, not to the
    working directory: make it absolute so every caller finds the same file."""
    template = getattr(model, "template", None)
    if template and template.lower().endswith(".docx") and not Path(template).is_absolute():
        return attrs.evolve(model, template=str((folder / template).resolve()))
    return model


def read_text(path: Path) -> str:
    """The text of a data file: UTF-8 (a byte-order mark allowed), else GB18030, which is
    what Windows Notepad saves as "ANSI" on a Chinese system, with a :class:`DataNotice`.
    Raises the UTF-8 ``UnicodeDecodeError`` when neither reads it."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise exc from None
    warnings.warn(DataNotice(f"数据文件 {path.name} 不是UTF-8编码，已按GBK（GB18030）编码读取；"
                             f"建议在编辑器中另存为 UTF-8"), stacklevel=3)
    return text


def load(path: str | Path, models: Mapping[str, type]) -> Any:
    """Read a data file (UTF-8 JSON) into the model its ``"kind"`` names in ``models``;
    a template path it names is made absolute, beside the data file."""
    path = Path(path)
    try:
        text = read_text(path)
    except FileNotFoundError:
        raise DataError(f"找不到数据文件：{path}") from None
    except IsADirectoryError:
        raise DataError(f"{path} 是文件夹，不是数据文件（批量生成请用 reportgen batch）") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"数据文件既不是UTF-8编码，也不是GBK（GB18030）编码：{path}（第{exc.start + 1}字节）；"
                        f"请在编辑器中另存为 UTF-8") from None
    except OSError as exc:
        raise DataError(f"无法读取数据文件 {path}：{os_reason(exc)}") from None
    return _beside(loads(text, models, source=f"数据文件 {path.name} "), path.parent)

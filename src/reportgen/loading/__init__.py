"""JSON → model: the one place where data files become typed models.

Numbers are parsed as Decimal, never float. A strict cattrs converter
(:mod:`.hooks`) structures the JSON — no unknown keys, no silent str() of numbers,
no text where a list belongs, no negative money — and every failure becomes a
:class:`~reportgen.errors.DataError` whose problems (:mod:`.problems`) name the
JSON path, the value found and, for an unknown key, the nearest known one.

A program's mapping (:mod:`.python`) and a workbook (read one floor up, by
:mod:`reportgen.workbook`) are first turned into the same plain data a JSON file gives
and go through the same structuring (:func:`from_data`).

Loading knows no document kinds: the caller gives the models a data file's ``"kind"``
may name (``{"self-evaluation": SelfEvaluationReport, …}``, from :mod:`reportgen.kinds`).
"""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, Mapping, Optional

import attrs

from reportgen.errors import DataError, DataNotice, Problem, did_you_mean, os_reason, suggest
from reportgen.loading.hooks import CONVERTER, show, type_name
from reportgen.loading.jsontext import parse, parse_json
from reportgen.loading.measures import read_measure
from reportgen.loading.problems import structure
from reportgen.loading.python import plain

__all__ = ["CONVERTER", "WORKBOOK_SUFFIXES", "beside", "from_data", "from_python", "load", "loads", "parse_json",
           "read_measure", "read_text", "structure"]

#: workbook files read, and spreadsheet files refused with advice (no well-kept reader
#: of them that keeps numbers exact is a dependency: 请另存为 .xlsx).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
OTHER_SHEETS = (".xls", ".ods", ".et", ".csv")

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
    return from_data(data, models, source, problems)


def from_data(data: Any, models: Mapping[str, type], source: str = "数据",
              problems: Optional[list[Problem]] = None) -> Any:
    """Plain data (as JSON gives it) → the model its ``"kind"`` names in ``models``;
    ``problems`` already found in reading it are listed with the rest (each place once)."""
    problems = list(problems or [])
    if not isinstance(data, dict):
        raise DataError(f"{source}不符合要求：", [Problem("$", f"应为对象，实际为{type_name(data)}")])
    body = dict(data)
    kind = body.pop("kind", None)
    body.pop("$schema", None)  # an editor's pointer to the JSON Schema, not data
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


def beside(model: Any, folder: Path) -> Any:
    """A template path the data names is relative to the data file, not to the
    working directory: make it absolute so every caller finds the same file. A name
    is a path as :func:`reportgen.kinds.resolve_template` takes one: a file that exists
    beside the data, or one that :func:`~reportgen.docx.formats.names_a_file` says is a path; else it names a
    shipped template."""
    template = getattr(model, "template", None)
    if not template:
        return model
    from reportgen.docx.formats import names_a_file  # lxml's import: only for data naming a template
    path = Path(template)
    if not path.is_absolute() and (names_a_file(template) or (folder / path).exists()):
        return attrs.evolve(model, template=str((folder / path).resolve()))
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


def from_python(mapping: Any, models: Mapping[str, type], source: str = "数据") -> Any:
    """A program's mapping (Decimals, ints, numeric strings, tuples, exact floats; see
    :mod:`.python`) → the model its ``"kind"`` names. :class:`DataError` for anything else."""
    if not isinstance(mapping, Mapping):
        raise DataError(f"{source}不符合要求：", [Problem("$", f"应为字典（dict），实际为{type(mapping).__name__}")])
    body, problems = dict(mapping), []  # type: dict[str, Any], list[Problem]
    kind = body.get("kind")
    model = models.get(kind) if isinstance(kind, str) else None
    if model is not None:
        kind = body.pop("kind")
        body, problems = plain(body, model)
        body = {"kind": kind, **body}
    return from_data(body, models, source, problems)


def is_text(source: str) -> bool:
    return source.lstrip("\ufeff \t\r\n").startswith(("{", "["))


def load(source: str | bytes | Path, models: Mapping[str, type]) -> Any:
    """A JSON data file into the model its ``"kind"`` names in ``models``: a path, or the
    JSON text itself, or its bytes. A template path a file names is made absolute,
    beside the data file (:func:`beside`)."""
    if isinstance(source, bytes):
        try:
            return loads(source.decode("utf-8-sig"), models)
        except UnicodeDecodeError:
            raise DataError("数据不是UTF-8编码；请另存为 UTF-8") from None
    if isinstance(source, str) and is_text(source):
        return loads(source, models)
    if not isinstance(source, (str, Path)):
        raise DataError(f"无法读取数据：应为文件路径、JSON 文字或字节，实际为{type(source).__name__}")
    path = Path(source)
    if path.suffix.lower() in OTHER_SHEETS:
        raise DataError(f"不能直接读取 {path.suffix} 文件：{path}；请在 Excel 或 WPS 中另存为 .xlsx 工作簿")
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
    return beside(loads(text, models, source=f"数据文件 {path.name} "), path.parent)

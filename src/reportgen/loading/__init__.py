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

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping

import attrs

from reportgen.errors import DataError, Problem, did_you_mean, os_reason, suggest
from reportgen.loading.hooks import CONVERTER, show, type_name
from reportgen.loading.measures import read_measure
from reportgen.loading.problems import structure

__all__ = ["CONVERTER", "load", "loads", "parse_json", "read_measure", "structure"]

#: json's messages (their start) in the words a clerk reads.
_JSON_MESSAGES = {
    "Expecting value": "此处应有一个值（数字、文字、true/false、null、列表或对象）；可能多了逗号",
    "Expecting property name enclosed in double quotes": "此处应为用英文双引号括起的键名；可能多了逗号或用了中文引号",
    "Expecting ',' delimiter": "缺少英文逗号 ,（或用了中文逗号 ，）",
    "Expecting ':' delimiter": "缺少英文冒号 :（或用了中文冒号 ：）",
    "Extra data": "数据已结束，后面还有多余的内容",
    "Unterminated string": "文字缺少结尾的英文双引号",
    "Invalid control character": "文字中有换行或控制字符；换行请写作 \\n",
    "Invalid \\escape": "无效的转义符（反斜杠 \\ 后面的字符不能这样写）",
    "Invalid \\uXXXX escape": "无效的 \\u 转义",
}


def _json_message(msg: str) -> str:
    for start, words in _JSON_MESSAGES.items():
        if msg.startswith(start):
            return words
    return msg


def _no_constant(name: str):
    raise DataError(f"不能使用 {name}：金额和数值必须是有限的数字")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict:
    """An object whose keys are all different: a key written twice would lose a value."""
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise DataError(f"同一对象里键 \"{key}\" 写了两次（{show(out[key])} 与 {show(value)}），"
                            f"后一个会覆盖前一个；请删去一个")
        out[key] = value
    return out


def parse_json(text: str, source: str = "数据") -> Any:
    """Parse JSON with every non-integer number as Decimal (NaN and Infinity refused)."""
    text = text.removeprefix("\ufeff")  # the byte-order mark some editors write
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_no_constant,
                          object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()):
            raise DataError(f"{source}不是有效的JSON：数据在第{exc.lineno}行提前结束，"
                            f"缺少结尾的 }} 或 ]") from None
        raise DataError(f"{source}不是有效的JSON：第{exc.lineno}行第{exc.colno}列，"
                        f"{_json_message(exc.msg)}") from None
    except DataError as exc:  # from the hooks above, which do not know the file
        raise DataError(f"{source}不符合要求：{exc.summary}") from None
    except RecursionError:
        raise DataError(f"{source}嵌套层次过深，无法读取") from None
    except ValueError:  # an integer of thousands of digits
        raise DataError(f"{source}中有位数过多的数字，无法读取") from None


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
    data = parse_json(text, source)
    if not isinstance(data, dict):
        raise DataError(f"{source}不符合要求：", [Problem("$", f"应为对象，实际为{type_name(data)}")])
    body = dict(data)
    kind = body.pop("kind", None)
    if not isinstance(kind, str) or kind not in models:
        raise DataError(f"{source}不符合要求：", [_kind_problem(kind, models)])
    return structure(body, models[kind], source)


def _beside(model: Any, folder: Path) -> Any:
    """A template path the data names is relative to the data file, not to the
    working directory: make it absolute so every caller finds the same file."""
    template = getattr(model, "template", None)
    if template and template.lower().endswith(".docx") and not Path(template).is_absolute():
        return attrs.evolve(model, template=str((folder / template).resolve()))
    return model


def load(path: str | Path, models: Mapping[str, type]) -> Any:
    """Read a data file (UTF-8 JSON) into the model its ``"kind"`` names in ``models``;
    a template path it names is made absolute, beside the data file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(f"找不到数据文件：{path}") from None
    except IsADirectoryError:
        raise DataError(f"{path} 是文件夹，不是数据文件（批量生成请用 reportgen batch）") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"数据文件不是UTF-8编码：{path}（第{exc.start + 1}字节）；"
                        f"请在编辑器中另存为 UTF-8") from None
    except OSError as exc:
        raise DataError(f"无法读取数据文件 {path}：{os_reason(exc)}") from None
    return _beside(loads(text, models, source=f"数据文件 {path.name} "), path.parent)

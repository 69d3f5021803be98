"""The JSON Schema (draft 2020-12) of each document kind's data file, from the models.

Walks a kind's model through its attrs fields (:mod:`reportgen.loading.shapes`) and
their metadata (:mod:`reportgen.model.fields`): titles are the fields' Chinese
meanings, descriptions their doc, unit and example; a Literal is an ``enum``; a bounded
whole number takes its range from ``model.common.RANGES``; Optional allows ``null``; a
tuple is an ``array``; a ``dict[str, X]`` takes ``additionalProperties``; every object
refuses keys it does not declare, as loading does. A target or actual value may be a
string or an object, as loading reads it. A data file may carry ``"$schema"`` (the
schema's address) so that an editor completes and checks its keys.

    >>> s = schema_of("project-goals", "project-goals.schema.json")
    >>> s["properties"]["kind"], s["required"]
    ({'const': 'project-goals', 'title': '文种'}, ['kind', 'department', 'year'])
"""
from __future__ import annotations

import json
from typing import Any, Optional

from reportgen import kinds
from reportgen.loading import shapes
from reportgen.loading.hooks import LARGEST
from reportgen.model import Label, Money, Points
from reportgen.model.common import RANGES
from reportgen.model.fields import FieldInfo, info_of, model_info

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: the ceiling loading puts on amounts: a trillion 万元 (an int: JSON has no Decimal).
_LARGEST = int(LARGEST)


def _scalar(shape: shapes.Shape) -> dict[str, Any]:
    if shape.kind == "decimal":
        out: dict[str, Any] = {"type": "number", "exclusiveMaximum": _LARGEST}
        if shape.tp in (Money, Points):
            out["minimum"] = 0
        else:
            out["exclusiveMinimum"] = -_LARGEST
        return out
    if shape.kind == "whole":
        low, high = RANGES.get(shape.tp, (-_LARGEST + 1, _LARGEST - 1))
        return {"type": "integer", "minimum": low, "maximum": high}
    if shape.kind == "bool":
        return {"type": "boolean"}
    if shape.kind == "choice":
        return {"enum": list(shape.choices)}
    if shape.tp is Label:
        return {"type": "string", "pattern": r"\S"}
    return {"type": "string"}


def _type(shape: shapes.Shape, defs: dict[str, Any]) -> dict[str, Any]:
    if shape.kind in ("object", "measure"):
        name = shape.tp.__name__
        if name not in defs:
            defs[name] = {}  # placed first: a class met again inside itself refers here
            defs[name] = _object(shape.tp, defs)
        out: dict[str, Any] = {"$ref": f"#/$defs/{name}"}
        if shape.kind == "measure":  # "≥90%" or the object
            out = {"anyOf": [{"type": "string"}, out]}
    elif shape.kind == "list":
        out = {"type": "array", "items": _type(shapes.of(shape.item), defs)}
    elif shape.kind == "dict":
        out = {"type": "object", "additionalProperties": _type(shapes.of(shape.item), defs)}
        key = shapes.of(shape.key)
        if key.kind == "choice":
            out["propertyNames"] = {"enum": list(key.choices)}
    else:
        out = _scalar(shape)
    if shape.optional:
        out = {"anyOf": [out, {"type": "null"}]}
    return out


def _described(info: FieldInfo) -> dict[str, Any]:
    out: dict[str, Any] = {"title": info.meaning}
    text = "".join(filter(None, [info.doc, info.unit and f"单位：{info.unit}。"]))
    if text:
        out["description"] = text
    if info.example is not None:
        out["examples"] = [info.example]
    return out


def _object(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    about = model_info(cls)
    properties, required = {}, []
    for field, shape in shapes.fields(cls):
        properties[field.name] = {**_described(info_of(field)), **_type(shape, defs)}
        if shapes.required(field):
            required.append(field.name)
    out: dict[str, Any] = {"type": "object", "title": about.meaning}
    if about.doc:
        out["description"] = about.doc
    out.update({"properties": properties, "additionalProperties": False})
    if required:
        out["required"] = required
    return out


def schema_of(kind_name: str, schema_id: Optional[str] = None) -> dict[str, Any]:
    """The JSON Schema of the data file of ``kind_name`` (a registered kind; otherwise
    :func:`reportgen.kinds.get`'s ``TemplateError``), as a dict ready for ``json.dumps``."""
    kind = kinds.get(kind_name)
    defs: dict[str, Any] = {}
    root = _object(kind.model, defs)
    root["properties"] = {"$schema": {"type": "string", "title": "JSON Schema 的地址（供编辑器使用）"},
                          "kind": {"const": kind.name, "title": "文种"}, **root["properties"]}
    root["required"] = ["kind"] + root.get("required", [])
    head: dict[str, Any] = {"$schema": DIALECT}
    if schema_id:
        head["$id"] = schema_id
    head["title"] = f"{kind.title}数据文件（reportgen）"
    return {**head, **{k: v for k, v in root.items() if k != "title"}, "$defs": defs}


def schema_text(kind_name: str, schema_id: Optional[str] = None) -> str:
    """:func:`schema_of` as indented JSON text (UTF-8 ready, Chinese kept as written)."""
    return json.dumps(schema_of(kind_name, schema_id), ensure_ascii=False, indent=2) + "\n"

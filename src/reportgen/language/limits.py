"""Limits that hold for any template: what one template may cost in memory and time.

A template is untrusted, so whatever it writes, rendering one document stays small
and short (issue 10, kind 1):

* no value a template makes (a string, a list, a number) is larger than
  :data:`MAX_VALUE` characters or items (:func:`weight`, deep), nor an integer longer
  than :data:`MAX_BITS`; operations that could make a larger one are refused *before*
  they run (:func:`check_binop`, :func:`check_filter`, :func:`check_method`), the others
  are checked on their result (:func:`checked`);
* a document is at most :data:`MAX_OUTPUT` characters of XML, its loops at most
  :data:`MAX_ITERATIONS` turns in all, and it renders within its time limit
  (:class:`Budget`, :data:`DEFAULT_TIME_LIMIT` seconds unless the caller says otherwise).

Every refusal is a :class:`LimitError` with a Chinese message; the sandbox
(:mod:`.environment`) calls these checks while rendering and the linter calls the same
functions on a template's constants, so both refuse the same things.
"""
from __future__ import annotations

import re
import string
import time
from decimal import Decimal
from typing import Any, Iterable, Iterator, Mapping, Optional

from jinja2.sandbox import MAX_RANGE, SecurityError

#: characters of a string, or items (deep) of a list, tuple or dict a template makes.
MAX_VALUE = 1_000_000
#: bits of an integer a template makes (about 30,000 decimal digits).
MAX_BITS = 100_000
#: the largest exponent of ``**``.
MAX_EXPONENT = 100
#: loop turns in one document, all loops together.
MAX_ITERATIONS = 1_000_000
#: characters of XML one document's templates may write, all parts together.
MAX_OUTPUT = 20_000_000
#: seconds one document may take to render unless the caller sets its own limit.
DEFAULT_TIME_LIMIT = 30.0
#: characters a ``wordwrap`` may wrap (textwrap's cost grows faster than its input).
MAX_WRAPPED = 100_000
#: the key under which a render's :class:`Budget` travels in its context (no template can name it).
BUDGET = "\x00reportgen-budget"

_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d*)(?:\.(\*|\d*))?[hlL]?[a-zA-Z%]")
_NUMBERS = re.compile(r"\d+")
_FIELD_PARTS = re.compile(r"\.(\w+)|\[([^\]]*)\]")


class LimitError(SecurityError):
    """A template asked for more than a limit allows; the message says which, in Chinese."""


def _too_long(what: str, size: int, limit: int = MAX_VALUE) -> LimitError:
    return LimitError(f"{what}过长（约 {size:,} 个字符或项，上限 {limit:,}）")


def weight(value: Any, limit: int = MAX_VALUE) -> int:
    """The size of ``value``: characters of a string, items of a list, tuple, set or
    dict with the weight of each (keys and values), 1 for anything else. Counting
    stops once it passes ``limit``, so it costs at most about ``limit`` steps."""
    total, pending = 0, [value]
    while pending and total <= limit:
        item = pending.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += len(item)
            if total <= limit:
                pending.extend(item)
        elif isinstance(item, dict):
            total += len(item)
            if total <= limit:
                pending.extend(item.keys())
                pending.extend(item.values())
        else:
            total += 1
    return total


def checked(value: Any, what: str = "模板生成的内容") -> Any:
    """``value`` itself; :class:`LimitError` when it is over :data:`MAX_VALUE`."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_BITS:
        raise LimitError(f"模板计算出的整数过大（{value.bit_length():,} 位，上限 {MAX_BITS:,} 位）")
    if isinstance(value, (str, bytes, list, tuple, set, frozenset, dict)):
        size = weight(value)
        if size > MAX_VALUE:
            raise _too_long(what, size)
    return value


def limited(value: Any) -> Any:
    """``value``, or, when it is an iterator (a ``map``, ``select`` or ``batch``
    result), the same items with their weight counted as they are made: turning
    it into a list or a string can then never pass :data:`MAX_VALUE` by much."""
    if not isinstance(value, Iterator):
        return value

    def counted(items: Iterator[Any]) -> Iterator[Any]:
        total = 0
        for item in items:
            total += weight(item) + 1
            if total > MAX_VALUE:
                raise _too_long("模板生成的内容", total)
            yield item
    return counted(value)


def sized(value: Any) -> Any:
    """``value`` as a list when it is an iterator, so its size can be checked before use."""
    return list(limited(value)) if isinstance(value, Iterator) else value


def _int(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _width(value: Any, what: str) -> None:
    width = _int(value)
    if width is not None and width > MAX_VALUE:
        raise _too_long(what, width)


# ---- format strings ---------------------------------------------------------------------------


def percent_format_size(fmt: str, args: Any) -> int:
    """An upper bound on the length of ``fmt % args``; :class:`LimitError` for a width
    or precision taken from the arguments (``%*d``), which reportgen does not allow."""
    size = len(fmt) + weight(args)
    for match in _PERCENT_SPEC.finditer(fmt):
        width, precision = match.group(1), match.group(2) or ""
        if "*" in (width, precision):
            raise LimitError("格式中的宽度或精度不能用 “*” 由参数给出，请直接写出数字")
        size += int(width or 0) + int(precision or 0)
    return size


def brace_format_size(fmt: str, args: Any = ()) -> int:
    """An upper bound on the length of ``fmt.format(*args)``; :class:`LimitError` for
    a width given by another field (``{:{}}``), which reportgen does not allow."""
    size = len(fmt) + weight(args)
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return size  # Python refuses the format itself when it runs
    for _literal, _field, spec, _conversion in fields:
        if spec and "{" in spec:
            raise LimitError("格式中的宽度或精度不能由另一个 {} 给出，请直接写出数字")
        size += sum(int(n) for n in _NUMBERS.findall(spec or ""))
    return size


def format_fields(fmt: str) -> list[str]:
    """The attribute and item names a ``str.format`` string reaches (``{0.__class__}`` →
    ``__class__``), for the rule on what a template may reach."""
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return []
    names = []
    for _literal, field, spec, _conversion in fields:
        for text in (field or "", spec or ""):
            names += [a or b for a, b in _FIELD_PARTS.findall(text)]
    return names


def _format_size(size: int, what: str = "格式化产生的内容") -> None:
    if size > MAX_VALUE:
        raise _too_long(what, size)


# ---- operations checked before they run ---------------------------------------------------------


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse ``left operator right`` when its result would be over a limit
    (``'x' * 10**9``, ``9**9**9``, ``n * n`` of huge integers, ``'%0999999999d' % 1``)."""
    if operator == "**" and isinstance(right, (int, float, Decimal)):
        too_big = _int(left) is not None and _int(right) is not None and left.bit_length() * right > MAX_BITS
        if abs(right) > MAX_EXPONENT or too_big:
            raise LimitError(f"乘方的结果过大（指数 {right}）")
    elif operator == "*":
        if _int(left) is not None and _int(right) is not None:
            if left.bit_length() + right.bit_length() > MAX_BITS:
                raise LimitError(f"模板计算出的整数过大（超过 {MAX_BITS:,} 位）")
            return
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and _int(count) is not None \
                    and weight(seq) * count > MAX_VALUE:
                raise _too_long("重复产生的内容", weight(seq) * count)
    elif operator == "%" and isinstance(left, str):
        _format_size(percent_format_size(left, right))


def _replace_size(text: str, old: Any, new: Any, count: Any = -1) -> int:
    if not isinstance(old, str) or not isinstance(new, str):
        return len(text)
    found = text.count(old) if old else len(text) + 1
    if _int(count) is not None and count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new) - len(old), 0)


def _join_size(items: Any, separator: Any) -> int:
    if not isinstance(items, (list, tuple, set, frozenset, dict, range, str)):
        return 0  # a generator: its items are checked as they are made
    return weight(items) + len(items) * (len(separator) if isinstance(separator, str) else 0)


def _wrap(text: Any, width: Any = 79, break_long_words: bool = True, wrapstring: Any = None, *_: Any) -> None:
    if isinstance(text, str):
        if len(text) > MAX_WRAPPED:
            raise _too_long("要自动换行（wordwrap）的文字", len(text), MAX_WRAPPED)
        lines = len(text) // max(_int(width) or 1, 1) + 1
        extra = lines * len(wrapstring) if isinstance(wrapstring, str) else lines
        if len(text) + extra > MAX_VALUE:
            raise _too_long("自动换行产生的内容", len(text) + extra)


def _indent(text: Any, width: Any = 4, *_: Any, **__: Any) -> None:
    step = len(width) if isinstance(width, str) else _int(width) or 0
    if isinstance(text, str) and len(text) + (text.count("\n") + 1) * step > MAX_VALUE:
        raise _too_long("缩进产生的内容", len(text) + (text.count("\n") + 1) * step)


def _tojson(value: Any, indent: Any) -> None:
    # json.dumps repeats the indent once per nesting level on every line it writes.
    step = len(indent) if isinstance(indent, str) else _int(indent) or 0
    if step and (weight(value) + 1) * step * (_depth(value) + 1) > MAX_VALUE:
        raise _too_long("JSON 缩进（tojson）产生的内容", (weight(value) + 1) * step * (_depth(value) + 1))


def _depth(value: Any, level: int = 0) -> int:
    if level > 100 or not isinstance(value, (list, tuple, dict)):
        return level
    items = value.values() if isinstance(value, dict) else value
    return max((_depth(item, level + 1) for item in items), default=level + 1)


def check_filter(name: str, args: tuple, kwargs: Mapping[str, Any]) -> None:
    """Refuse filter ``name`` called with ``args`` (the value first) and ``kwargs``
    when its result would be over a limit. Unknown filters pass: their results are
    checked afterwards (:func:`checked`)."""
    value, rest = (args[0], args[1:]) if args else (None, ())
    if name == "center":
        _width(rest[0] if rest else kwargs.get("width"), "居中（center）产生的内容")
    elif name == "indent":
        _indent(value, *rest, **kwargs)
    elif name == "wordwrap":
        _wrap(value, *rest, **{k: v for k, v in kwargs.items() if k in ("width", "wrapstring")})
    elif name == "replace" and isinstance(value, str) and len(rest) >= 2:
        _format_size(_replace_size(value, *rest[:3]), "替换（replace）产生的内容")
    elif name == "format" and isinstance(value, str):
        _format_size(percent_format_size(value, dict(kwargs) or rest))
    elif name == "join":
        separator = rest[0] if rest else kwargs.get("d", "")
        _format_size(_join_size(value, separator), "连接（join）产生的内容")
    elif name in ("batch", "slice"):
        _width(rest[0] if rest else next(iter(kwargs.values()), None), f"“{name}” 分组的数量")
    elif name == "tojson":
        _tojson(value, rest[0] if rest else kwargs.get("indent"))


#: str methods whose integer arguments set the length of their result.
_WIDTH_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs", "to_bytes"}


def check_method(method: Any, args: tuple, kwargs: Mapping[str, Any]) -> None:
    """Refuse calling ``method`` (a bound method of a string, a number …) with ``args``
    when its result would be over a limit (``"a".center(10**9)``, ``"{:>999999999}".format(1)``)."""
    method = getattr(method, "__wrapped__", method)  # the sandbox wraps str.format
    owner, name = getattr(method, "__self__", None), getattr(method, "__name__", "")
    if isinstance(owner, (str, int)) and name in _WIDTH_METHODS:
        for arg in (*args, *kwargs.values()):
            _width(arg, f"“{name}” 产生的内容")
        if name == "expandtabs" and isinstance(owner, str) and args:
            _format_size(len(owner) + owner.count("\t") * (_int(args[0]) or 0), "展开制表符产生的内容")
    elif isinstance(owner, str) and name == "replace" and len(args) >= 2:
        _format_size(_replace_size(owner, *args[:3]), "替换（replace）产生的内容")
    elif isinstance(owner, str) and name == "join" and args:
        _format_size(_join_size(args[0], owner), "连接（join）产生的内容")
    elif isinstance(owner, str) and name in ("format", "format_map"):
        _format_size(brace_format_size(owner, (args, kwargs)))
    elif isinstance(owner, str) and name == "translate" and args and isinstance(args[0], dict):
        _format_size(len(owner) * max([weight(v) for v in args[0].values()] + [1]), "字符替换产生的内容")


def bounded_range(*args: int) -> range:
    """``range`` for templates: at most Jinja's ``MAX_RANGE`` items, refused in Chinese."""
    items = range(*args)
    if len(items) > MAX_RANGE:
        raise LimitError(f"range 产生的项数过多（{len(items):,} 项，上限 {MAX_RANGE:,}）")
    return items


# ---- one document's time, turns and output ------------------------------------------------------


class Budget:
    """What one document may still spend: time (``time_limit`` seconds from now), loop
    turns and characters of output. One budget serves every part of one document and
    is used by one thread at a time."""

    __slots__ = ("deadline", "time_limit", "turns", "written")

    def __init__(self, time_limit: Optional[float] = None):
        self.time_limit = DEFAULT_TIME_LIMIT if time_limit is None else float(time_limit)
        self.deadline = time.monotonic() + self.time_limit
        self.turns = self.written = 0

    def restart(self) -> None:
        """Count turns and output again from nothing (the same document rendered
        another way), keeping the deadline."""
        self.turns = self.written = 0

    def tick(self) -> None:
        """:class:`LimitError` once the time is up."""
        if time.monotonic() > self.deadline:
            raise LimitError(f"生成文档超过了时间上限（{self.time_limit:g} 秒），模板可能含有过多或无尽的循环")

    def loop(self, items: Iterable[Any]) -> Iterator[Any]:
        """``items``, each turn counted and the time checked."""
        for item in items:
            self.turns += 1
            if self.turns > MAX_ITERATIONS:
                raise LimitError(f"模板中的循环总共超过了 {MAX_ITERATIONS:,} 次")
            self.tick()
            yield item

    def output(self, chunks: Iterable[str]) -> Iterator[str]:
        """``chunks`` of a template's output, their characters counted and the time checked."""
        for chunk in chunks:
            self.written += len(chunk)
            if self.written > MAX_OUTPUT:
                raise LimitError(f"模板生成的文档过大（超过 {MAX_OUTPUT:,} 个字符）")
            self.tick()
            yield chunk

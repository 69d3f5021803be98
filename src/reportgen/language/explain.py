"""Why a template failed, in Chinese: Jinja's errors explained for a clerk.

:func:`syntax_message` explains Jinja's syntax errors; :func:`explain` any failure met
while rendering: an undefined name (from the structure :mod:`.undefined` gives, with
the nearest name the data has), a refused operation, a filter that could not handle
its value, arithmetic on nothing. Each comes with the name or expression involved, by
which the renderer finds the tag in the document.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, NamedTuple, Optional

import jinja2
from jinja2.sandbox import SecurityError

from reportgen.errors import ReportgenError, did_you_mean, suggest
from reportgen.language.environment import TextError, plain_text
from reportgen.language.filters import UNSAFE_FILTERS, FilterError
from reportgen.language.undefined import RefusedName, UndefinedName

_CHINESE = re.compile(r"[\u4e00-\u9fff]")

#: Jinja's names of tokens → as a clerk writes them.
_TOKENS = {"end of print statement": "}}", "end of statement block": "%}", "name": "名称",
           "end of template": "标签结尾", "end of comment": "#}"}
_BAD = "标签写法有误："
#: Jinja's syntax messages → (Chinese message, the name involved), by how they begin.
_SYNTAX = (
    (r"Unexpected end of template.*innermost block that needs to be closed is '(\w+)'",
     lambda m: (f"“{{% {m[1]} … %}}” 没有结束：缺少 “{{% end{m[1]} %}}”", m[1])),
    (r"Encountered unknown tag '(\w+)'", lambda m: (f"未知的标签 “{m[1]}”", m[1])),
    (r"unexpected char (['\"])(.+?)\1",
     lambda m: (f"{_BAD}标签中有不能用的符号 “{m[2]}”，标签内的符号一律用英文半角", None)),
    (r"unexpected 'end of (?:print statement|statement block)'", lambda m: (f"{_BAD}标签结尾之前缺少内容", None)),
    (r"unexpected '(.+?)'", lambda m: (f"{_BAD}“{_TOKENS.get(m[1], m[1])}” 的位置不对或多余", None)),
    (r"expected token '(.+?)', got '(.+?)'", lambda m: (
        f"{_BAD}此处应为 “{_TOKENS.get(m[1], m[1])}”，写的却是 “{_TOKENS.get(m[2], m[2])}”", None)),
    (r"Expected an expression", lambda m: (f"{_BAD}标签中缺少要输出或判断的内容", None)),
    (r"unexpected end of template", lambda m: (f"{_BAD}标签没有写完", None)),
)


def syntax_message(message: str) -> tuple[str, Optional[str]]:
    """Jinja's syntax error ``message`` in Chinese, with the tag keyword involved if any.

    >>> syntax_message("expected token 'end of print statement', got 'b'")
    ('标签写法有误：此处应为 “}}”，写的却是 “b”', None)
    """
    if _CHINESE.search(message):  # the sandbox's own refusal (a tag nested too deep)
        return message, None
    for pattern, explained in _SYNTAX:
        match = re.match(pattern, message, re.S)
        if match:
            return explained(match)
    return "标签写法有误", None


# ---- a failure while rendering -------------------------------------------------------------


class Explanation(NamedTuple):
    """A rendering failure explained: what (Chinese), the name or expression involved
    (to find its tag), and a hint (the nearest name), each None when there is none."""

    message: str
    name: Optional[str] = None
    hint: Optional[str] = None


def template_line(exc: BaseException) -> Optional[int]:
    """The line of the template source where ``exc`` arose, if Jinja recorded it."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.lineno
    line, tb = None, exc.__traceback__
    while tb is not None:  # Jinja rewrites tracebacks so template frames carry template lines
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _security(exc: SecurityError) -> Explanation:
    if isinstance(exc, RefusedName):
        return Explanation(str(exc), exc.name)
    own = f"（{exc}）" if _CHINESE.search(str(exc)) else ""  # our own refusals are in Chinese
    return Explanation(f"模板试图做不允许的操作，已被阻止{own}")


def _syntax(exc: jinja2.TemplateSyntaxError) -> Explanation:
    message = exc.message or ""
    if _CHINESE.search(message):  # the sandbox's own refusal
        return Explanation(message)
    unknown = re.match(r"No (filter|test) named '(.+?)'", message)
    if unknown and unknown[2] in UNSAFE_FILTERS:
        return Explanation(f"出于安全考虑，不能使用过滤器 “{unknown[2]}”", unknown[2])
    if unknown:
        return Explanation(f"未知的{'过滤器' if unknown[1] == 'filter' else '判断'} “{unknown[2]}”", unknown[2])
    return Explanation(*syntax_message(message))


#: other failures → what they mean, in the order tried.
_FAILURES = ((ZeroDivisionError, "除数为零"), (TypeError, "数值类型不符（例如对空值 none 做运算）"),
             (ArithmeticError, "数值运算无效"), ((KeyError, IndexError), "取不到所需的项"),
             (RecursionError, "嵌套过深"))


def _folded(exc: NameError) -> Optional[str]:
    """Jinja computes a constant expression (``"inf"|float``) when it compiles the
    template and writes the value into the code as Python prints it: ``inf`` and
    ``nan`` are no names, so that code fails. That value is one the renderer refuses
    to print whatever its source: the message is the renderer's own."""
    name = getattr(exc, "name", None)
    if name not in ("inf", "nan"):
        return None
    try:
        plain_text(float(name))
    except TextError as refused:
        return str(refused)
    return None


def explain(exc: BaseException, names: Iterable[Any] = ()) -> Explanation:
    """``exc``, met while rendering, explained; ``names`` are the data's top-level
    names, from which the nearest to an undefined variable is suggested."""
    if isinstance(exc, SecurityError):
        return _security(exc)
    if isinstance(exc, UndefinedName):
        near = suggest(exc.name, names) if exc.name is not None and not exc.attribute else None
        return Explanation(exc.message, exc.name, did_you_mean(near))
    if isinstance(exc, jinja2.UndefinedError):
        return Explanation("使用了数据中没有的名称")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return _syntax(exc)
    if isinstance(exc, jinja2.TemplateError):
        return Explanation("模板有误，请用 reportgen template-check 检查模板")
    if isinstance(exc, FilterError):
        return Explanation(exc.summary, exc.expression)
    if isinstance(exc, ReportgenError):  # already in Chinese
        return Explanation(exc.summary)
    if isinstance(exc, TextError):
        return Explanation(str(exc))
    folded = _folded(exc) if isinstance(exc, NameError) else None
    if folded is not None:
        return Explanation(folded)
    reason = next((text for kind, text in _FAILURES if isinstance(exc, kind)), "意外的错误")
    return Explanation(f"生成时出错：{reason}")

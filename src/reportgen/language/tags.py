"""One tag at a time: what a single tag says and what is wrong with it on its own.

Both the renderer's structural check and the linter read tags this way.

A statement tag is parsed by Jinja inside a small made-up template that closes its
block (``{% if x %}`` → ``{% if x %}{% endif %}``), so every tag is judged even when
the template as a whole would not parse. :func:`read` returns the names a tag uses
and binds, and its filters and tests; :func:`slips` the problems visible in its text.
"""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

import jinja2
from jinja2 import nodes

from reportgen.errors import Problem, did_you_mean, suggest
from reportgen.language.lexer import CURLY_QUOTES, Tag

#: block keyword → the tag that ends it.
BLOCKS = {"if": "endif", "for": "endfor", "with": "endwith", "set": "endset"}
#: keyword allowed only inside an open block of one of these keywords.
MIDDLES = {"elif": ("if",), "else": ("if", "for")}
#: docxtpl's own cell tags: {% colspan n %}, {% cellbg color %}, {% vm %}, {% hm %}.
DOCXTPL = ("colspan", "cellbg", "vm", "hm")
KEYWORDS = sorted({*BLOCKS, *BLOCKS.values(), *MIDDLES, *DOCXTPL})
REFUSED = {"include", "import", "from", "extends", "autoescape", "endautoescape"}
UNSUPPORTED = {"macro", "endmacro", "call", "endcall", "filter", "endfilter", "block",
               "endblock", "raw", "endraw", "do", "break", "continue"}
_FULL_WIDTH = "（）｜，：；＝＋－【】《》。"
_MENDED = "“”‘’"  # the quotes docxtpl straightens in a tag
_BARE = {*BLOCKS.values(), "else", "vm", "hm"}  # tags that take nothing after the keyword


class Reading(NamedTuple):
    """What one tag does: its (possibly corrected) keyword and the names involved."""

    keyword: str
    opens: bool  # starts a block that an end tag must close
    loads: list[str]  # variables read, in order
    binds: list[str]  # variables the tag assigns (for targets, set, with)
    filters: list[str]
    tests: list[str]
    private: list[str]  # attributes starting with "_"
    problems: list[Problem]
    tree: Optional[nodes.Template] = None  # the tag parsed, for following a.b.c


#: Word's AutoCorrect capitalises the first letter of a "sentence": "{%p if" → "{%P if".
AUTOCORRECT = ("Word 或 WPS 的自动更正把首字母改成了大写，标签区分大小写：请改回小写；"
               "并在“文件 → 选项 → 校对 → 自动更正选项”中取消“句首字母大写”，以免再犯")
MERGING = ("“{%-” 和 “-%}” 会把标签所在的段落与前一段、后一段并成一段（docxtpl 的规则），"
           "reportgen 不支持：请去掉 “-”；要按条件保留或删去整段，请把标签单独放一段，"
           "写作 “{%p if … %}” … “{%p endif %}”")
TRIMMING = "“{{-” 和 “-}}” 会删去标签前后的空格，reportgen 不支持：请去掉 “-”"
PLUS = "紧贴标签符号的 “+” 在 reportgen 中没有作用，不支持：请去掉 “+”"
RICH_TEXT = ("reportgen 不支持 “{{r … }}” / “{%r … %}”（docxtpl 的富文本标签，数据中没有富文本，"
             "值会丢失）：请写作 “{{ … }}”，颜色、字体直接在 Word 中设置")
SUBDOCUMENT = ("reportgen 不支持 “{{{{{level} … }}}}”（docxtpl 用它插入子文档或整段、整行的内容，"
               "文字会写到段落之外而丢失）：输出文字请写作 “{{{{ … }}}}”；按条件保留整段请用 “{{%{level} if … %}}”")


def extension(tag: Tag) -> list[str]:
    """What is wrong with the docxtpl extensions reportgen does not support, as written in
    ``tag``: white-space control ("{%-", "-%}", "{{-" …), "{{r"/"{%r", "{{p"/"{{tr"/"{{tc"."""
    out = []
    if re.match(r"\{%[a-zA-Z]*-", tag.raw) or re.search(r"-%\}$", tag.raw):
        out.append(MERGING)
    elif re.match(r"\{\{[a-zA-Z]*-", tag.raw) or re.search(r"-\}\}$", tag.raw):
        out.append(TRIMMING)
    if re.match(r"\{[{%][a-zA-Z]*\+", tag.raw) or re.search(r"\+[}%]\}$", tag.raw):
        out.append(PLUS)
    if tag.level == "r":
        out.append(RICH_TEXT)
    elif tag.level and tag.delim == "{{":
        out.append(SUBDOCUMENT.format(level=tag.level))
    return out


def unsupported(tag: Tag) -> bool:
    """True for a tag written with a docxtpl extension reportgen refuses (:func:`extension`)."""
    return tag.delim != "{#" and bool(extension(tag))


def slips(tag: Tag, cosmetic: bool = True) -> list[Problem]:
    """Problems visible in the tag's text alone: quotes, breaks, docxtpl prefixes and the
    docxtpl extensions reportgen refuses; without ``cosmetic``, not those docxtpl mends
    (“ ” ‘ ’) or drops (a line break)."""
    out = []
    if tag.delim == "{#":  # a comment may hold anything
        return out
    out += extension(tag)
    written = tag.raw[2:2 + len(tag.level)]
    if tag.level and written.lower() == tag.level and written != tag.level:
        out.append(f"“{tag.raw[:2]}{written}” 应写作 “{tag.raw[:2]}{tag.level}”：{AUTOCORRECT}")
    quotes = sorted({c for c in tag.raw if c in CURLY_QUOTES and (cosmetic or c not in _MENDED)})
    if quotes:
        out.append(f"标签中有弯引号或全角引号 {' '.join(quotes)}（Word/WPS 自动更正所致），"
                   "请改为英文直引号 \" 或 '")
    if ("\n" in tag.raw or "\t" in tag.raw) and cosmetic:
        out.append("标签中夹有换行或制表符，请删去，让标签连在一起")
    if tag.level and re.search(r"[%}]", tag.inner):
        out.append(f"“{tag.raw[:2]}{tag.level}” 标签中不能含有 % 或 }}（docxtpl 读不出），请改写")
    if tag.level and not tag.raw[2:].lower().startswith(tag.level):
        out.append(f"“{tag.raw[:2]} {tag.level}” 中间不能有空格，应写作 “{tag.raw[:2]}{tag.level}”")
    return [tag.problem(message) for message in out]


def _assigns(inner: str) -> bool:
    """True for ``set x = …``, False for a block ``set x`` … ``endset``."""
    return re.match(r"set\s[^=]*=(?!=)", inner) is not None


def _probe(keyword: str, inner: str) -> Optional[str]:
    """A small template in which Jinja can parse the statement ``inner``."""
    if keyword in ("if", "for", "with"):
        return f"{{% {inner} %}}{{% end{keyword} %}}"
    if keyword == "elif":
        return f"{{% if true %}}{{% {inner} %}}{{% endif %}}"
    if keyword == "set":
        return f"{{% {inner} %}}" + ("" if _assigns(inner) else "{% endset %}")
    if keyword in ("colspan", "cellbg"):
        return "{{ " + inner[len(keyword):] + " }}"
    return None


def _names(tree: nodes.Node) -> tuple[list[str], list[str]]:
    loads, binds = [], []
    for node in tree.find_all(nodes.Name):
        (loads if node.ctx == "load" else binds).append(node.name)
    return list(dict.fromkeys(loads)), list(dict.fromkeys(binds))


def _private(tree: nodes.Node) -> list[str]:
    found = [n.attr for n in tree.find_all(nodes.Getattr) if n.attr.startswith("_")]
    found += [n.arg.value for n in tree.find_all(nodes.Getitem)
              if isinstance(n.arg, nodes.Const) and str(n.arg.value).startswith("_")]
    return found


def _syntax(exc: jinja2.TemplateSyntaxError, inner: str) -> str:
    from reportgen.language.explain import syntax_message  # only for a tag that fails: its import costs
    wide = sorted({c for c in inner if c in _FULL_WIDTH})
    extra = f"；标签中有全角符号 {' '.join(wide)}，应改为半角" if wide else ""
    return syntax_message(exc.message or "")[0] + extra


def _keyword(tag: Tag) -> tuple[str, str, list[Problem]]:
    """(keyword, inner, problems): an unknown keyword corrected when one is close."""
    keyword, inner = tag.keyword, tag.inner
    if tag.delim == "{#":
        return "", inner, []
    if not inner:
        return "", inner, [tag.problem("空的标签")]
    if keyword in KEYWORDS or tag.delim != "{%":
        return keyword, inner, []
    if keyword.lower() in KEYWORDS:  # "{% If %}", "{%p Endif %}": Word's AutoCorrect
        lower = keyword.lower()
        return lower, lower + inner[len(keyword):], [
            tag.problem(f"“{keyword}” 应写作 “{lower}”：{AUTOCORRECT}")]
    if keyword in REFUSED:
        return "", inner, [tag.problem(f"出于安全考虑，模板不能使用 “{{% {keyword} %}}”")]
    if keyword in UNSUPPORTED:
        return "", inner, [tag.problem(f"模板不支持 “{{% {keyword} %}}” 标签")]
    # Keywords are short, so a nearer cut-off than for names: "fi" for "if" (ratio 0.5).
    near = suggest(keyword, KEYWORDS, cutoff=0.5)
    if near is None:
        what = f"；要输出内容请用 “{{{{ {inner} }}}}”" if keyword else ""
        return "", inner, [tag.problem(f"未知的标签 “{keyword or inner}”{what}")]
    return near, near + inner[len(keyword):], [tag.problem(f"未知的标签 “{keyword}”", did_you_mean(near))]


def source(tag: Tag) -> Optional[str]:
    """The Jinja source in which ``tag`` alone is parsed (its block closed), or None
    when it is not parsed (a comment, an end tag, a keyword it cannot be read with)."""
    keyword, inner, _problems = _keyword(tag)
    if tag.delim == "{#" or (tag.delim == "{%" and not keyword) or keyword in _BARE:
        return None
    return "{{ " + inner + " }}" if tag.delim == "{{" else _probe(keyword, inner)


def read(tag: Tag, env: jinja2.Environment, parse: bool = True) -> Reading:
    """What ``tag`` does, parsed by ``env``; problems for what cannot be read. Without
    ``parse``, only what its keyword says (for tags already known to parse)."""
    keyword, inner, problems = _keyword(tag)
    opens = keyword in ("if", "for", "with") or (keyword == "set" and not _assigns(inner))
    empty = Reading(keyword, opens, [], [], [], [], [], problems)
    if tag.delim == "{#" or (tag.delim == "{%" and not keyword):
        return empty
    if keyword in _BARE:
        if inner != keyword:
            fix = "；“否则如果”应写作 “{% elif … %}”" if re.match(r"else\s+if\b", inner) else ""
            problems.append(tag.problem(f"“{{% {keyword} %}}” 后面不能有其他内容{fix}"))
        return empty
    if not parse:
        return empty
    try:
        tree = env.parse(source(tag))
    except jinja2.TemplateSyntaxError as exc:
        problems.append(tag.problem(_syntax(exc, inner)))
        return empty
    loads, binds = _names(tree)
    return Reading(keyword, opens, loads, binds, [n.name for n in tree.find_all(nodes.Filter)],
                   [n.name for n in tree.find_all(nodes.Test)], _private(tree), problems, tree)

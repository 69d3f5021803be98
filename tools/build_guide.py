#!/usr/bin/env python3
"""Build docs/template-guide.md, the clerks' guide to editing templates, from the code.

    python tools/build_guide.py           # rewrites docs/template-guide.md
    python tools/build_guide.py --check   # exit 1 if the committed guide is out of date

Every variable, nested ones included, comes from each document kind's structured
vocabulary (``reportgen.kinds.all_kinds()``, ``Kind.vocabulary``: the meanings of names
that mirror a model field are that field's metadata), and its example value from the context of
a sample of its kind (the fullest sample first, others where it is blank); every filter
comes from
``reportgen.formatting.FILTERS`` with its docstring and the examples in it, evaluated.
Only the how-to prose is written here, so what the guide lists is what exists.
"""
from __future__ import annotations

import ast
import doctest
import inspect
import json
import re
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # a checkout that is not installed

import reportgen  # noqa: E402
from reportgen import kinds  # noqa: E402
from reportgen.context.vocabulary import DATA_KEY, DICT, EACH_ITEM, LIST, OPEN, Name, paths  # noqa: E402
from reportgen.docx.external import FETCHING_FIELDS  # noqa: E402
from reportgen.formatting import FILTERS  # noqa: E402

GUIDE = ROOT / "docs" / "template-guide.md"
SAMPLES = ROOT / "samples"
#: Jinja's own filters a clerk is likely to need: name → (meaning, example).
JINJA_FILTERS = {
    "join": ("把列表连成一段文字，可指定分隔符", '{{ department.units|join("、") }}'),
    "length": ("列表的项数", "{{ projects|length }}"),
    "default": ("值为空时用的文字：没有这一项（none）、空白文字、空列表；0 不算空",
                '{{ attachment|default("无") }}'),
    "replace": ("替换文字", '{{ department.name|replace("局", "局（本级）") }}'),
    "trim": ("去掉首尾空白", "{{ grade|trim }}"),
    "first": ("列表的第一项", "{{ conclusion|first }}"),
    "last": ("列表的最后一项", "{{ conclusion|last }}"),
}
WIDTH = 28  # characters of an example value shown


# ---- examples from a sample -------------------------------------------------------------


def _leaves(value: Any) -> int:
    if isinstance(value, dict):
        return sum(_leaves(v) for v in value.values())
    if isinstance(value, list):
        return sum(_leaves(v) for v in value)
    return 0 if value in (None, "") else 1


def sample_contexts(kind: str) -> list[tuple[str, dict]]:
    """(file name, context) of each sample of ``kind``, the one filling most of its
    vocabulary first."""
    found = []
    for path in sorted(SAMPLES.glob("*.json")):
        if json.loads(path.read_text(encoding="utf-8")).get("kind") == kind:
            found.append((path.name, reportgen.context(reportgen.load(path))))
    return sorted(found, key=lambda item: -_leaves(item[1]))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "↵")


def _shown(value: Any) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value == "":
        return "（空文字）"
    text = str(value)
    return _cell(text if len(text) <= WIDTH else text[:WIDTH] + "…")


def _found(value: Any, steps: list[str]) -> Iterator[Any]:
    """Every value at ``steps`` (keys, ``[…]`` for each item, ``<名称>`` for each key)."""
    if not steps:
        yield value
    elif (steps[0], type(value)) in ((EACH_ITEM, list), (DATA_KEY, dict)):
        for item in value if isinstance(value, list) else value.values():
            yield from _found(item, steps[1:])
    elif isinstance(value, dict) and steps[0] in value:
        yield from _found(value[steps[0]], steps[1:])


def _example(name: Name, values: list) -> str:
    """How the guide shows a sample's value of ``name`` (the first filled one)."""
    if name.kind == DICT:
        return "（含以下各项）"
    if name.kind == OPEN:
        keys = [key for value in values if isinstance(value, dict) for key in value]
        return "样例中有：" + "、".join(keys) if keys else ""
    if name.kind == LIST:
        return f"列表，共 {len(values[0])} 项" if values else ""
    return _shown(values[0]) if values else ""


def _row(path: str, name: Name, samples: list[tuple[str, dict]]) -> str:
    """The guide's row of ``name``: the first sample that fills it gives the example."""
    steps = re.findall(r"\[…\]|[^.\[]+", path)
    blank = ""  # what the first sample holding the name at all has: none, empty text, []
    for number, (sample, ctx) in enumerate(samples):
        values = list(_found(ctx, steps))
        filled = [v for v in values if v not in (None, "", [], {})]
        if filled:
            source = f"（{sample}）" if number else ""
            return f"| `{path}` | {_cell(name.meaning)} | {_example(name, filled)}{source} |"
        if values and not blank:
            blank = _shown(values[0]) if name.kind == DICT else _example(name, values)
    return f"| `{path}` | {_cell(name.meaning)} | {blank or '（样例中没有）'} |"


def vocabulary_section(kind: kinds.Kind) -> list[str]:
    samples = sample_contexts(kind.name)
    return _table(f"### 文种 `{kind.name}`（{kind.title}）", kind.vocabulary, samples)


def _table(heading: str, vocabulary: Name, samples: list[tuple[str, dict]], note: str = "") -> list[str]:
    source = (f"样例取自 `samples/{samples[0][0]}`；该样例中为空的，取自括号中注明的其他样例。"
              if samples else "（暂无该文种的样例数据）")
    lines = [heading, "", *([note, ""] if note else []), source, "",
             "| 变量 | 含义 | 样例中的值 |", "| --- | --- | --- |"]
    for path, name in paths(vocabulary):
        if name.meaning or name.kind != DICT:  # each item of a list of dicts: its keys suffice
            lines.append(_row(path, name, samples))
    return lines + [""]


def document_section(document: kinds.Document) -> list[str]:
    """A further document's names: its own table, or a pointer to the kind whose
    templates (and so names) it shares."""
    heading = f"### 文档 `{document.name}`（{document.title}，由文种 `{document.source}` 的数据生成）"
    command = f"`reportgen 数据.json --document {document.name}" + (" -o 文件夹`" if document.many else "`")
    shared = next((k for k in kinds.all_kinds() if k.name == document.folder), None)
    if shared is not None:
        return [heading, "", f"用 {command} 生成，每个项目一个文件；模板与文种 `{shared.name}` 共用"
                f"（`templates/{document.folder}/`），变量见该文种一节。", ""]
    found = []
    for path in sorted(SAMPLES.glob("*.json")):
        if json.loads(path.read_text(encoding="utf-8")).get("kind") == document.source:
            model = reportgen.load(path)
            found += [(path.name, ctx) for _, ctx in document.build(model)[:1]]
    found.sort(key=lambda item: -_leaves(item[1]))
    return _table(heading, document.vocabulary, found,
                  f"用 {command} 生成；模板在 `templates/{document.folder}/`。")


# ---- filters ----------------------------------------------------------------------------


def _literal(node: ast.AST) -> Any:
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Decimal":
        return Decimal(_literal(node.args[0]))
    return ast.literal_eval(node)


def _calls(tree: ast.AST, name: str) -> Iterator[ast.Call]:
    """The calls of filter ``name`` in a doctest expression, a comprehension unrolled."""
    if isinstance(tree, ast.Call) and getattr(tree.func, "id", "") == name:
        yield tree
    elif isinstance(tree, (ast.Tuple, ast.List)):
        for item in tree.elts:
            yield from _calls(item, name)
    elif isinstance(tree, ast.ListComp) and len(tree.generators) == 1:
        target, values = tree.generators[0].target, _literal(tree.generators[0].iter)
        for value in values:
            swap = ast.Constant(value)
            call = tree.elt
            if isinstance(call, ast.Call) and [getattr(a, "id", None) for a in call.args] == [target.id]:
                yield ast.Call(call.func, [swap], call.keywords)


def _jinja(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "none"}[value]
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def filter_examples(name: str, function) -> list[str]:
    """Each doctest call of ``function`` as a tag and what it gives."""
    out = []
    for example in doctest.DocTestParser().get_examples(inspect.getdoc(function) or ""):
        for call in _calls(ast.parse(example.source, mode="eval").body, name):
            args = [_literal(a) for a in call.args]
            kwargs = {k.arg: _literal(k.value) for k in call.keywords}
            params = [_jinja(a) for a in args[1:]] + [f"{k}={_jinja(v)}" for k, v in kwargs.items()]
            # "value |filter → result": a literal in a tag would be a float, not a Decimal.
            written = f"|{name}" + (f"({', '.join(params)})" if params else "")
            out.append(f"{_jinja(args[0])} `{_cell(written)}` → {_shown(function(*args, **kwargs))}")
    return out[:4]


def _parameters(function) -> str:
    params = list(inspect.signature(function).parameters.values())[1:]
    shown = [f"{p.name}（默认 {_jinja(p.default)}）" if p.default is not p.empty else p.name
             for p in params]
    return "、".join(shown) or "无"


def filters_section() -> list[str]:
    lines = ["| 过滤器 | 说明 | 参数 | 示例 |", "| --- | --- | --- | --- |"]
    for name, function in FILTERS.items():
        doc = (inspect.getdoc(function) or "").split("\n\n")[0].replace("\n", " ")
        examples = "<br>".join(filter_examples(name, function)) or "—"
        lines.append(f"| `{name}` | {_cell(doc)} | {_parameters(function)} | {examples} |")
    lines += ["", "模板还可以使用 Jinja 自带的过滤器，常用的有：", "",
              "| 过滤器 | 说明 | 写法 |", "| --- | --- | --- |"]
    lines += [f"| `{n}` | {meaning} | `{_cell(example)}` |" for n, (meaning, example) in JINJA_FILTERS.items()]
    return lines + [""]


# ---- the prose ----------------------------------------------------------------------------

HOWTO = """\
# 模板编写指南

> 本文由 `python tools/build_guide.py` 根据程序代码生成，请勿直接修改；变量、过滤器及其样例值都取自程序本身。

报告的措辞都写在 Word 模板里。经办人员用 Word 或 WPS 修改模板即可改变措辞，不需要改程序。
模板中用 `{{ }}`、`{% %}` 括起来的部分叫“标签”，生成报告时由程序换成数据算出的内容。

## 一、复制和修改模板

随附的模板：

@SHIPPED@

1. **复制一份再改。** 把要用的模板复制出来，改一个新名字（如 `我区.docx`），不要直接改随附的模板。
2. **用 Word 或 WPS 打开修改。** 标签以外的文字、字体、段落格式、页眉页脚都可以随意修改，生成的报告会原样保留。
3. **保存为 .docx 格式。** WPS 请选择“Word 文档（*.docx）”，不要存成 .doc 或 .wps。
4. **修改标签时，整个删掉再一次输完。** 在标签中间改几个字，Word 可能把标签拆成几段不同格式的文字，
   程序就读不出了。标签内的符号一律用英文半角：`{` `}` `%` `|` `"` `(` `)`。
5. **关闭“直引号替换为弯引号”。** Word：文件 → 选项 → 校对 → 自动更正选项 → “键入时自动套用格式”，
   取消勾选“直引号替换为弯引号”；WPS 在“自动更正”设置中有同样的选项。标签里的引号必须是直引号 `"`。
6. **不要留下修订。** 如果开启了“修订”，请先“接受所有修订”再使用模板。
7. **检查后再用。** 运行 `reportgen template-check 我区.docx`（见第四节），没有问题后用
   `reportgen 数据.json --template 我区.docx` 生成报告；也可以在数据文件里写 `"template": "我区.docx"`。
"""

SYNTAX = """\
## 二、标签写法

### 1. 输出内容：`{{ 变量 }}`

`{{ department.full_name }}` 换成部门全称，`{{ year }}` 换成年度。变量名区分大小写，必须与第五节列出的完全一致。
变量的值原样输出：`&`、`<`、引号、全角标点都不会改变。数据中的换行（包括从 Word 粘贴带来的
Shift+Enter 软回车）在报告中**另起一段**：每一行成为单独的一段，沿用标签所在段落的格式（样式、缩进、
对齐），不会在两端对齐的段落中被拉开。每段开头输入的空格（半角、全角）不印出，缩进由模板段落决定；
`reportgen check` 会说明哪些文字这样处理了。

### 2. 条件：`{% if %}`

```
{% if grade == "优" %}成效显著{% elif grade == "良" %}成效较好{% else %}仍需改进{% endif %}
```

`{% if 变量 %}` 在变量有内容（不是空文字、空列表）时成立。`==` 判断相等，`!=` 不等，`and`、`or`、`not` 组合条件；
`{% if budget.carryover is not none %}` 判断数值是否填写。每个 `{% if %}` 都要有对应的 `{% endif %}`。

### 3. 整段取舍和整段重复：`{%p if %}`、`{%p for %}`

`{%p … %}` 标签**单独占一段**，这一段本身不会出现在报告里：

```
{%p for f in department.functions %}
（{{ loop.index }}）{{ f }}
{%p endfor %}
```

中间的段落为列表中的每一项重复一次。`loop.index` 是当前是第几项（从 1 起），`loop.first`、`loop.last`
表示第一项、最后一项。`{%p if 条件 %}` … `{%p endif %}` 在条件不成立时删掉中间的段落。
`{%p if %}` 必须用 `{%p endif %}` 结束，不能混用 `{% endif %}`。

### 4. 在一段之内重复：`{% for %}`

```
{% for s in budget.expenditure_sources %}{{ s.name }}{{ s.amount|money }}万元{{ "，" if not loop.last else "。" }}{% endfor %}
```

### 5. 表格整行重复：`{%tr for %}`

在表格中放三行：第一行只写 `{%tr for p in projects %}`，第二行是要重复的内容（如 `{{ p.name }}`、
`{{ p.budget|money }}`），第三行只写 `{%tr endfor %}`。标签所在的行整行会被删除，所以这两行不要写其他内容；
开始和结束必须在同一个表格里。

@TABLE_EXAMPLE@

### 6. 过滤器：`{{ 变量|过滤器 }}`、`{{ 变量|过滤器(参数) }}`

`{{ budget.annual_budget|money }}` 得到“36,628.61”，`{{ budget.annual_budget|money(false) }}` 不加千位分隔符，
`{{ budget.execution_rate|percent(1) }}` 保留一位小数。全部过滤器见第六节。

### 7. 批注：`{# … #}`

`{# 这里是给同事看的说明 #}` 不会出现在报告里。

### 8. 赋值：`{% set %}`

`{% set unit = "万元" %}` 之后可以用 `{{ unit }}`。`{% for %}` 的循环变量和 `{% set %}` 赋值的名字都可以在模板中使用。

### 9. docxtpl 的其他写法

reportgen 用 docxtpl 读 Word 模板。docxtpl 的写法中，下面这些**可以用**，含义如下：

| 写法 | 含义 |
| --- | --- |
| `{%p if %}`、`{%p for %}`、`{%tr for %}` | 见本节第 3、5 点：整段、整行取舍或重复 |
| `{%tc for c in 列表 %}` … `{%tc endfor %}` | 表格整列重复（写在同一行相邻的单元格里） |
| `{% vm %}` | 写在 `{%tr for %}` 重复的单元格里：各行之间上下合并，文字只印一次（见第 5 点） |
| `{% hm %}` | 写在 `{%tc for %}` 重复的单元格里：各列左右合并成一格 |
| `{% colspan 数字 %}` | 这个单元格横跨几列，如 `{% colspan 2 %}` |
| `{% cellbg "FF0000" %}` | 单元格底色（十六进制颜色） |
| `{#p … #}`、`{#tr … #}` | 说明文字：整段、整行不出现在报告里 |

下面这些 reportgen **不支持**，生成报告和 `reportgen template-check` 都会指出位置并说明改法：

| 写法 | 为什么 | 改为 |
| --- | --- | --- |
| `{%- … %}`、`{% … -%}` | docxtpl 会把标签所在段落与前一段或后一段并成一段 | 去掉 `-`；整段取舍用 `{%p if %}` |
| `{{- … }}`、`{{ … -}}`，紧贴符号的 `+` | 删去标签前后的空格，或没有作用 | 去掉 `-`、`+` |
| `{{r … }}`、`{%r … %}` | 富文本标签：数据中没有富文本，值会丢失 | `{{ … }}`，颜色、字体直接在 Word 中设置 |
| `{{p … }}`、`{{tr … }}`、`{{tc … }}` | 用于插入子文档，文字会写到段落之外而丢失 | `{{ … }}`；整段取舍用 `{%p if %}` |
| 超链接地址中的 `{{ … }}` | docxtpl 不处理链接地址，每份报告都原样带着标签 | 固定的网址；随数据变化的网址作为文字输出 |
| `{%P`、`{% If %}`、`{%Tr` 等首字母大写 | Word 的自动更正把首字母改成了大写，标签区分大小写 | 改回小写，并在“自动更正选项”中取消“句首字母大写” |

子文档（`{{ subdoc }}`）、富文本（RichText）、图片替换等需要在 Python 中准备的对象，数据文件中没有，也不支持。
"""

CHECKING = """\
## 三、常见错误

| 错误 | 改正 |
| --- | --- |
| `{{ departmnt.name }}`（变量名拼错） | `{{ department.name }}` |
| `{{ budget.execution_rat }}`（下级名称拼错） | `{{ budget.execution_rate }}` |
| `{% for t in work.tasks %}{{ t.titel }}`（列表中每一项的名称拼错） | `{{ t.title }}` |
| `{% if grade == “优” %}`（弯引号） | `{% if grade == "优" %}` |
| `{% if 条件 %}` 缺少 `{% endif %}` | 补上 `{% endif %}` |
| `｛｛ year ｝｝`（全角括号） | `{{ year }}` |
| `{%p for %}` 所在段落还有其他文字 | 让 `{%p … %}` 标签独占一段 |
| 标签从一段写到下一段 | 标签必须写在同一段内 |
| `{%P if %}`、`{% If %}`（Word 自动更正改成了大写） | 改回小写 `{%p if %}`、`{% if %}` |
| `{%- if %}`、`{% endif -%}`（段落会并在一起） | 去掉 `-`；整段取舍用 `{%p if %}` |
| `{{r 变量 }}`（富文本标签，值会丢失） | `{{ 变量 }}`，格式直接在 Word 中设置 |

## 四、检查模板

```
reportgen template-check 我区.docx
```

程序不需要数据，一次列出模板的全部问题，每条都说明位置（正文第几段、表格第几行第几列、页眉页脚）和附近的文字。
变量之下的名称（如 `budget.execution_rate`、循环中的 `t.title`）也逐一核对，并给出最接近的正确写法。
例如一个模板的第1段把 `department` 错拼成 `departmnt`，第2段的引号被自动改成了弯引号，第3段的 `{% if %}`
缺少 `{% endif %}`，第4段把 `budget.execution_rate` 错拼成 `budget.execution_rat`、把每项任务的 `t.title`
错拼成 `t.titel`，检查结果是：

```
@EXAMPLE@
```

没有问题时退出状态为 0（“提示”不算问题），有问题为 1，文件无法读取为 2。文种按模板所在的文件夹判断，也可以用
`--kind self-evaluation` 指定；`--format json` 输出便于程序处理的格式。

生成报告时，程序也会先检查模板的结构：标签没有闭合、`{%p %}` 与 `{% %}` 混用、标签跨段、`{%tr %}`
不成对等问题会使程序拒绝生成，并说明位置——不会生成缺了内容的文档。名称拼错则在生成时报告出错的名称和位置。
"""


#: what the renderer removes or reconciles (reportgen.docx.external, reportgen.docx.reconcile).
CARRIED = """\
### 生成报告时删除或调整的内容

模板可能来自同事、厂商或邮件，程序不让模板里的内容把报告“连”到文档以外，也不让 `{%p %}` 段落带着的东西出错。
`template-check` 会逐条列出下面这些内容及其位置（警告；循环中的脚注、尾注与在 Word 中复制段落的结果相同，列为“提示”，不算问题），生成报告时按下表处理：

| 模板中的内容 | 生成的报告 |
| --- | --- |
| 指向网页（`http`、`https`）或邮箱（`mailto`）的普通超链接 | 原样保留 |
| 指向本机文件、共享文件夹（`file://`、`\\\\服务器\\共享`）或其他地址的超链接 | 删除链接，保留文字 |
| 链接到外部地址的图片（“插入和链接”的图片保留嵌入的那份） | 删除 |
| 外部附加模板（“文档模板”设为网络或本机地址）、链接的子文档、链接的 OLE 对象、外部导入的内容（altChunk）、邮件合并数据源、框架中的网页 | 删除 |
| 会取外部内容的域：@FIELDS@；指向本机或共享文件夹的 HYPERLINK 域 | 只保留域当前显示的内容（相当于 Word 的“解除链接”） |
| 批注 | 不出现在报告中 |
| `{%p … %}` 段落上的分节符（如横向附表前的“分节符（下一页）”） | 移到它前面的段落，页面方向、页边距不变；前面没有可用的段落时保留一个空段落承载分节符 |
| 循环中的书签 | 每次重复各有自己的编号和名称（`名称_2`、`名称_3`…），交叉引用只指向第一处 |
| 循环中的编号列表（重复的内容除列表外还有标题等其他段落；编号设在段落上或段落样式中均可） | 每次重复的列表都从头编号；循环每次只重复一个列表项时，各项接着编号 |
| 循环中的脚注、尾注 | 每次重复各带一条自己的脚注（尾注），内容与模板中的相同，编号依次排下去（与在 Word 中复制带脚注的段落一样） |
"""


#: the worked example of a table with merged cells: the indicator table of the 自评表
#: exactly as templates/project-self-evaluation/national.docx has it.
TABLE_EXAMPLE = """\
#### 例：自评表的指标表（上下合并的单元格 `{% vm %}`）

`templates/project-self-evaluation/national.docx` 的绩效指标表就是这样做的，可以照抄。
表中每一行是 Word 表格的一行，`|` 隔开各个单元格；写着 `{%tr … %}` 的行在生成时整行删除：

```
| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |  ← 标题行
| {%tr for g in indicators.groups %} |
| {%tr for s in g.subgroups %} |
| {%tr for i in s.indicators %} |
| {%tr if i.first_in_group %} |
| {{ g.label }} | {% vm %}{{ s.name }} | {{ i.label }} | {{ i.target }} | {{ i.actual }} | {{ i.weight }} | {{ i.score }} | {{ i.reason }} |  ← 第一种行
| {%tr else %} |
|               | {% vm %}{{ s.name }} | {{ i.label }} | {{ i.target }} | {{ i.actual }} | {{ i.weight }} | {{ i.score }} | {{ i.reason }} |  ← 第二种行
| {%tr endif %} |
| {%tr endfor %} |
| {%tr endfor %} |
| {%tr endfor %} |
| 总分 | | | | | {{ full }} | {{ total }} | |
```

- **二级指标**：单元格里写 `{% vm %}`，这个单元格在它所在的最内层 `{%tr for %}`（这里是一个二级指标下的
  各个三级指标）重复出来的各行之间上下合并，文字只印一次。`{% vm %}` 只认最内层的循环，所以一行中只能
  有一列这样合并。
- **一级指标**：要跨过几个二级指标合并，做法是放两种行：`i.first_in_group` 为 true 的是该一级指标的第一行，
  用第一种行；其余用第二种行。在 Word 里选中第一种行、`{%tr else %}` 行和第二种行的“一级指标”三个单元格，
  点“合并单元格”：生成时标签行删掉，第一种行开始合并，第二种行接着合并。两种行除了一级指标一格，其余
  各格要写得一样，改栏目时两行一起改。
- 标题行在表格属性中勾选“在各页顶端以标题行形式重复出现”，每页都会重印；各行勾选“不允许跨页断行”。
- 要改栏目（如四川样式的“指标性质、指标值、度量单位、完成值、权重”），在 Word 中增删列、改标题行，
  再在两种行的对应格里写 `{{ i.nature }}`、`{{ i.value }}`、`{{ i.unit }}`、`{{ i.actual_value }}` 等，
  不需要改程序。`templates/project-self-evaluation/sichuan.docx` 就是这样由全国样式改出来的。
"""


def limits_note() -> str:
    """What any template may cost and reach (:mod:`reportgen.language.limits`), with the numbers in force."""
    from reportgen.docx import package
    from reportgen.language import limits as lim
    return f"""\
### 模板的限制

模板可能来自别处，程序对任何模板都设有上限，超出时拒绝生成（退出状态 2，不写出文件），并指出是哪个标签：
模板算出的任一个值不超过 {lim.MAX_VALUE:,} 个字符（或列表中 {lim.MAX_VALUE:,} 项），整数不超过 {lim.MAX_BITS:,} 个二进制位；
一份文档的全部循环合计不超过 {lim.MAX_ITERATIONS:,} 次，生成的内容不超过 {lim.MAX_OUTPUT:,} 个字符；
每份文档的生成时间不超过 {lim.DEFAULT_TIME_LIMIT:g} 秒（命令行用 `--time-limit 秒数`、程序调用时用 `time_limit` 另设）；`wordwrap` 的文字不超过
{lim.MAX_WRAPPED:,} 个字符。模板文件中每个 XML 部件解压后不超过 {package.MAX_XML_PART // 2**20} MB，图片等其他部件不超过
{package.MAX_PART // 2**20} MB，全部合计不超过 {package.MAX_PACKAGE // 2**20} MB。以下划线开头的名称（如 `__class__`）和程序内部的属性
一律不能使用，无论写作 `a.b`、`a["b"]`、`map(attribute=…)`、`sort(attribute=…)`、`groupby`、`attr` 还是 `"{{0.b}}".format`。
`template-check` 不需要数据就能发现的（如 `center(10**9)`、`range(100000)` 套 `range(100000)`、上述名称、过大的部件），
检查时即报告，措辞与生成时相同。
"""


# ---- the guide --------------------------------------------------------------------------


def _shipped_list() -> list[str]:
    lines = []
    folders = [(k.name, k.title) for k in kinds.all_kinds()]
    folders += [(d.folder, d.title) for d in kinds.all_documents() if d.folder not in kinds.names()]
    for folder, title in folders:
        names = "、".join(f"`{p.name}`" for p in kinds.shipped(folder)) or "（无）"
        lines.append(f"- `templates/{folder}/`（{title}）：{names}")
    return lines


#: the paragraphs of the template whose check the guide shows.
BAD_TEMPLATE = ["{{ departmnt.full_name }}{{ year }}年部门整体支出绩效自评报告",
                "自评等级：{% if grade == “优” %}优秀{% else %}{{ grade_word }}{% endif %}",
                "{% if attachment %}附件：{{ attachment }}",
                "执行率{{ budget.execution_rat|percent }}。{% for t in work.tasks %}{{ t.titel }}；{% endfor %}"]


def checking_example() -> str:
    """What template-check says about :data:`BAD_TEMPLATE`, run now."""
    from docx import Document

    from reportgen.commands.template_check import format_text
    from reportgen.template_check import check_template
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "我区.docx"
        doc = Document()
        for text in BAD_TEMPLATE:
            doc.add_paragraph(text)
        doc.save(path)
        return format_text(check_template(path, "self-evaluation"))


def generate() -> str:
    """The whole guide, as Markdown."""
    checking = CHECKING.replace("@EXAMPLE@", checking_example()) + "\n" + limits_note()
    syntax = SYNTAX.replace("@TABLE_EXAMPLE@", TABLE_EXAMPLE.rstrip("\n"))
    carried = CARRIED.replace("@FIELDS@", "、".join(f"`{name}`" for name in sorted(FETCHING_FIELDS)))
    parts = [HOWTO.replace("@SHIPPED@", "\n".join(_shipped_list())), syntax, checking, carried,
             "## 五、变量一览\n\n模板能使用的全部变量如下。带 `.` 的写法取其中一项，"
             "`[…]` 表示列表中的每一项（在 `{% for x in 列表 %}` 里写作 `x.名称`），"
             "`<名称>` 表示按数据中的名称取用（如 `prose.budget_preparation`）。"
             "`reportgen template-check` 按这张表核对模板中的每个名称，包括 `.` 之后的各级名称。\n"]
    for kind in kinds.all_kinds():
        parts.append("\n".join(vocabulary_section(kind)))
    for document in kinds.all_documents():
        parts.append("\n".join(document_section(document)))
    parts.append("## 六、过滤器一览\n\n过滤器写在变量后面、用竖线 `|` 隔开，"
                 "有参数的在括号里给出。程序提供的过滤器：\n")
    parts.append("\n".join(filters_section()))
    return "\n".join(parts).rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    text = generate()
    if "--check" in argv:
        current = GUIDE.read_text(encoding="utf-8") if GUIDE.exists() else ""
        if current != text:
            print(f"{GUIDE.relative_to(ROOT)} 已过期：请运行 python tools/build_guide.py", file=sys.stderr)
            return 1
        return 0
    GUIDE.parent.mkdir(parents=True, exist_ok=True)
    GUIDE.write_text(text, encoding="utf-8")
    print(GUIDE.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

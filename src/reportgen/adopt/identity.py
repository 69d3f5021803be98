"""Whose report, for which year: read from its title, and the tags that print them.

The title names the department in full (广州市荔湾区商务和投资促进局) and the year
(2023年 or 2023年度, or in Chinese numerals, 二〇二三年). The full name splits into the region (up to the last 省/市/州/县/区 of
the administrative part) and the department's own name. In text kept in the template the
report year becomes ``{{ year }}``, the year before ``{{ year - 1 }}``, and the names become
name tags; a year in quotes or a title (“2022广州国际购物节”, 《…》, 〔2018〕) or any other
year stays text.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from reportgen.adopt.numerals import CN_YEAR_TEXT, cn_year_tag, cn_year_value
from reportgen.adopt.source import AdoptError
from reportgen.checking.text import enclosed

_YEAR = re.compile(rf"((?:19|20)\d\d|{CN_YEAR_TEXT})\s*年度?")
_KIND = re.compile(r"(?:部门)?(?:整体)?(?:支出)?(?:绩效)?自评报告$")
_REGION = re.compile(r"^(.+?(?:自治区|省|自治州|市|州|县)(?:.+?(?:区|县|市|旗))?)(.+)$")


class Identity(NamedTuple):
    year: int
    region: str
    name: str

    @property
    def full_name(self) -> str:
        return self.region + self.name


def identify(title: str) -> Identity:
    """The report's year and department from its title.

    >>> identify("广州市荔湾区商务和投资促进局2023年部门整体支出绩效自评报告")
    Identity(year=2023, region='广州市荔湾区', name='商务和投资促进局')
    >>> identify("2023年度广州市海珠区投资促进局整体支出绩效自评报告").full_name
    '广州市海珠区投资促进局'
    >>> identify("二〇二三年度广州市海珠区投资促进局整体支出绩效自评报告").year
    2023
    """
    title = re.sub(r"\s", "", title)
    years = _YEAR.findall(title)
    if not years:
        raise AdoptError(f"标题“{title}”中没有年度（如“2023年”），看不出是哪一年的报告")
    rest = _KIND.sub("", _YEAR.sub("", title, count=1))
    m = _REGION.match(rest)
    if not m:
        raise AdoptError(f"标题“{title}”中看不出地区和部门名称（应写成“广州市荔湾区××局2023年……自评报告”的样子）")
    return Identity(_year(years[0]), m.group(1), m.group(2))


def _year(written: str) -> int:
    return int(written) if written.isdigit() else cn_year_value(written)


def year_tag(delta: int, written: str) -> str:
    """The tag that prints the report's year (``delta`` 0) or the year before (1) the
    way ``written`` is: 2023 or 二〇二三."""
    expression = "year" if delta == 0 else "year - 1"
    return "{{ " + expression + " }}" if written.isdigit() else cn_year_tag(expression, written)


def tag_names_and_years(text: str, start: int, end: int, who: Identity) -> str:
    """``text[start:end]`` as template text: the department's names and the report's
    year and the year before as tags (never inside quotes or a title), and every brace
    printed by a tag of its own, so that no text of the report reads as a Jinja delimiter."""
    names = sorted({who.full_name: "department.full_name", who.region: "department.region",
                    who.name: "department.name"}.items(), key=lambda kv: -len(kv[0]))
    pattern = re.compile("|".join(re.escape(n) for n, _ in names)
                         + rf"|(?P<year>(?:19|20)\d\d|{CN_YEAR_TEXT})(?=\s*年)|[{{}}]")
    out, at = [], start
    for m in pattern.finditer(text, start, end):
        found = m.group(0)
        if found in "{}":  # any brace of the report is printed by a tag: none can open or close one
            tag = '{{ "' + found + '" }}'
        elif m.group("year"):
            delta = who.year - _year(found)
            if delta not in (0, 1) or enclosed(text, m.start()):
                continue
            tag = year_tag(delta, found)
        elif enclosed(text, m.start()):  # 《广州市荔湾区…办法》 names a document, not the department
            continue
        else:
            tag = "{{ " + dict(names)[found] + " }}"
        out += [text[at:m.start()], tag]
        at = m.end()
    out.append(text[at:end])
    return "".join(out)

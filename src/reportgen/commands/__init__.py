"""One module per subcommand: ``add_arguments(parser)`` and ``run(args) -> exit status``;
here, what more than one of them takes."""
from __future__ import annotations

import argparse
import math

from reportgen.language.limits import DEFAULT_TIME_LIMIT


def seconds(text: str) -> float:
    """``--time-limit``'s value: a positive number of seconds (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"应为正数（秒），如 60 或 0.5：{text}")
    return value


def add_time_limit(parser: argparse.ArgumentParser) -> None:
    """The ``--time-limit`` option: seconds one document may take to render."""
    parser.add_argument("--time-limit", type=seconds, metavar="SECONDS",
                        help=f"每份文档生成（按模板计算、填写）最多用时（秒），超过时拒绝生成"
                             f"（默认：{DEFAULT_TIME_LIMIT:g}）")

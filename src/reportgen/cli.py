"""reportgen 命令行 (the command line).

    reportgen FILE.json|FILE.xlsx [-o OUT.docx] [--template T.docx] [--pdf]   生成一份报告
    reportgen <命令> …                                                          见下列命令

A user's mistake (bad data, a bad template, a file that cannot be written, a missing
program) prints a message in Chinese and exits with status 2, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import warnings
from typing import Optional

# Nothing more here: what is imported before main() starts cannot be stopped with a message.
from reportgen.commands import Terminated, stopped_status, stopping_signals

#: subcommand → module in ``reportgen.commands`` with ``add_arguments`` and ``run``.
COMMANDS = {
    "render": "render",
    "check": "check",
    "template-check": "template_check",
    "batch": "batch",
    "init": "init",
    "export": "export",
    "schema": "schema",
    "adopt": "adopt",
}


#: argparse's own messages, in the words of the other messages.
_ARGPARSE_WORDS = [
    ("the following arguments are required: ", "缺少参数："),
    ("unrecognized arguments: ", "无法识别的参数："),
    ("expected one argument", "需要一个值"),
    ("invalid choice: ", "无效的选项："),
    ("choose from ", "可选："),
    ("invalid int value: ", "应为整数："),
    ("argument ", "参数 "),
]


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix or "用法：")


class _Parser(argparse.ArgumentParser):
    """argparse speaking Chinese: headings, help and errors (exit status 2, as argparse)."""

    def __init__(self, **kwargs):
        super().__init__(formatter_class=_Formatter, add_help=False, **kwargs)
        self._positionals.title, self._optionals.title = "参数", "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str):
        for english, chinese in _ARGPARSE_WORDS:
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{message}\n")


def _parser(name: str, module) -> argparse.ArgumentParser:
    parser = _Parser(prog=f"reportgen {name}" if name != "render" else "reportgen",
                     description=module.__doc__.splitlines()[0])
    module.add_arguments(parser)
    return parser


def _overview() -> str:
    """Every command with its one-line purpose, for ``reportgen --help``."""
    usage = __doc__.split("\n\n")[1]
    lines = ["reportgen：根据数据生成部门整体支出绩效自评报告、项目支出绩效目标表等公文。", "",
             "用法：", usage, "", "命令："]
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(f"reportgen.commands.{module_name}")
        lines.append(f"  {name:<15}{module.__doc__.splitlines()[0]}")
    lines.append("\n“reportgen <命令> --help” 显示该命令的选项；“reportgen --version” 显示版本。")
    return "\n".join(lines)


_SHOW_WARNING = warnings.showwarning


def _notice(message, category, *args, **kwargs) -> None:
    """Print a notice (a data file read as GBK, a template's link removed) in Chinese."""
    from reportgen.errors import Notice
    if issubclass(category, Notice):
        print(f"注意：{message}", file=sys.stderr)
    else:  # a library's own warning: not ours to word
        _SHOW_WARNING(message, category, *args, **kwargs)


def _say_stopped(stop: BaseException) -> None:
    """One line on the way out: the ``with`` blocks have stopped what was started."""
    why = signal.Signals(stop.signum).name if isinstance(stop, Terminated) else "Ctrl-C"
    try:
        print(f"已中断（{why}）：已停止，未写完的文件没有留下。", file=sys.stderr)
    except (OSError, ValueError):  # the terminal that was closed (SIGHUP) cannot be written
        pass


def _run(module, args: argparse.Namespace) -> int:
    """Run a command, turning every failure into a message and an exit status (a stop:
    :func:`main`'s)."""
    from reportgen.errors import ReportgenError, os_reason
    warnings.showwarning = _notice  # the command line owns its process
    try:
        return module.run(args)
    except ReportgenError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (`| head`): stop without a word
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"错误：无法读写文件{where}：{os_reason(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:  # a defect of ours: say so plainly, details on request
        if os.environ.get("REPORTGEN_DEBUG"):
            raise
        print(f"内部错误（{type(exc).__name__}：{exc}）。这是 reportgen 的缺陷，请把数据文件、模板和这段"
              f"信息交给维护人员；设置环境变量 REPORTGEN_DEBUG=1 可看到详细信息。", file=sys.stderr)
        return 2


def main(argv: Optional[list[str]] = None) -> int:
    """Run the command line; returns the exit status. SIGTERM and SIGHUP stop it as
    Ctrl-C does, from its first line on: a stop while the command is still being read
    (its modules imported) is said as any other."""
    try:
        with stopping_signals():
            return _main(argv)
    except (KeyboardInterrupt, Terminated) as stop:
        _say_stopped(stop)
        return stopped_status(stop)


def _main(argv: Optional[list[str]]) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--version":
        from reportgen import __version__
        print(f"reportgen {__version__}")
        return 0
    if not argv or argv[0] in ("-h", "--help"):
        print(_overview(), file=sys.stdout if argv else sys.stderr)
        return 0 if argv else 2
    name = argv[0] if argv[0] in COMMANDS else "render"
    if argv[0] == name:
        argv = argv[1:]
    module = importlib.import_module(f"reportgen.commands.{COMMANDS[name]}")
    args = _parser(name, module).parse_args(argv)
    return _run(module, args)

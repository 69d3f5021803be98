"""The ``reportgen`` command line.

    reportgen FILE.json [-o OUT.docx] [--template T.docx] [--pdf]   render one document
    reportgen <command> …                                            one of the commands below

A user's mistake (bad data, a bad template, a file that cannot be written, a missing
program) prints a message in Chinese and exits with status 2, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from typing import Callable, Optional

from reportgen.errors import ReportgenError

#: subcommand → module in ``reportgen.commands`` with ``add_arguments`` and ``run``.
COMMANDS = {
    "render": "render",
    "check": "check",
    "template-check": "template_check",
    "batch": "batch",
}


def _parser(name: str, module) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"reportgen {name}" if name != "render" else "reportgen",
                                     description=module.__doc__.splitlines()[0])
    module.add_arguments(parser)
    return parser


def _overview() -> str:
    """Every command with its one-line purpose, for ``reportgen --help``."""
    lines = [__doc__.strip(), "", "commands:"]
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(f"reportgen.commands.{module_name}")
        lines.append(f"  {name:<15}{module.__doc__.splitlines()[0]}")
    lines.append("\n`reportgen <command> --help` shows a command's options.")
    return "\n".join(lines)


def _run(module, args: argparse.Namespace) -> int:
    """Run a command, turning every failure into a message and an exit status."""
    try:
        return module.run(args)
    except ReportgenError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`| head`): stop without a word
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"错误：无法读写文件{where}：{exc.strerror or exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a defect of ours: say so plainly, details on request
        if os.environ.get("REPORTGEN_DEBUG"):
            raise
        print(f"内部错误（{type(exc).__name__}：{exc}）。这是 reportgen 的缺陷，请把数据文件、模板和这段"
              f"信息交给维护人员；设置环境变量 REPORTGEN_DEBUG=1 可看到详细信息。", file=sys.stderr)
        return 2


def main(argv: Optional[list[str]] = None) -> int:
    """Run the command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(_overview(), file=sys.stdout if argv else sys.stderr)
        return 0 if argv else 2
    name = argv[0] if argv[0] in COMMANDS else "render"
    if argv[0] == name:
        argv = argv[1:]
    module = importlib.import_module(f"reportgen.commands.{COMMANDS[name]}")
    args = _parser(name, module).parse_args(argv)
    return _run(module, args)

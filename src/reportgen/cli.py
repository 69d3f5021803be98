"""The ``reportgen`` command line.

    reportgen FILE.json [-o OUT.docx] [--template T.docx]      render one document
    reportgen render FILE.json …                                the same, spelled out
    reportgen <command> …                                       see COMMANDS

A user's mistake (bad data, a bad template, a missing program) prints a message in
Chinese and exits with status 2, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
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


def main(argv: Optional[list[str]] = None) -> int:
    """Run the command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    name = argv[0] if argv and argv[0] in COMMANDS else "render"
    if argv and argv[0] == name:
        argv = argv[1:]
    if not argv or argv[0] in ("-h", "--help"):
        if name == "render" and not argv:
            print(__doc__.strip(), file=sys.stderr)
            print("commands: " + ", ".join(COMMANDS), file=sys.stderr)
            return 2
    module = importlib.import_module(f"reportgen.commands.{COMMANDS[name]}")
    args = _parser(name, module).parse_args(argv)
    try:
        return module.run(args)
    except ReportgenError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130

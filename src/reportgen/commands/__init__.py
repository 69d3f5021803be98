"""One module per subcommand: ``add_arguments(parser)`` and ``run(args) -> exit status``;
here, what more than one of them takes."""
from __future__ import annotations

import argparse
import contextlib
import math
import signal
import threading
from pathlib import Path
from typing import Iterable, Iterator


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
    # Here, not above: the command line imports this module before it can take a stop.
    from reportgen.language.limits import DEFAULT_TIME_LIMIT
    parser.add_argument("--time-limit", type=seconds, metavar="SECONDS",
                        help=f"每份文档生成（按模板计算、填写）最多用时（秒），超过时拒绝生成"
                             f"（默认：{DEFAULT_TIME_LIMIT:g}）")


def add_force(parser: argparse.ArgumentParser, help: str = "输出文件已存在时覆盖它") -> None:
    """The ``--force`` option: replace what the command would otherwise refuse to."""
    parser.add_argument("--force", action="store_true", help=help)


def kept(paths: Iterable[Path], force: bool) -> list[Path]:
    """Those of ``paths`` that exist and must not be replaced: all of them, without ``--force``."""
    return [] if force else [path for path in paths if path.exists()]


def refuse_input_as_output(out: Path, *inputs: Path) -> None:
    """Refuse an output that is one of the inputs (a slip of -o would replace it)."""
    from reportgen.errors import ReportgenError
    for source in inputs:
        if out.resolve() == Path(source).resolve():
            raise ReportgenError(f"输出文件 {out} 就是输入文件本身，不能覆盖")


def write_output(out: Path, content: bytes, force: bool) -> Path:
    """Write ``content`` to ``out`` whole or not at all; an existing file only with ``force``."""
    from reportgen.docx.files import write_atomically
    from reportgen.errors import ReportgenError
    if kept([out], force):
        raise ReportgenError(f"输出文件已存在：{out}（要覆盖请加 --force）")
    return write_atomically(out, content)


#: the signals that stop a command as Ctrl-C does: ``timeout``, systemd's stop, a closed terminal.
STOPPING = (signal.SIGTERM, signal.SIGHUP)


class Terminated(BaseException):
    """SIGTERM or SIGHUP, raised where the command is, as Ctrl-C raises KeyboardInterrupt
    (a BaseException, so that no ``except Exception`` takes it for a failure)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _terminate(signum, frame):
    # Once is enough: a second signal (a closed terminal sends more than one) must not
    # break into the clean-up the first one started.
    for other in STOPPING:
        signal.signal(other, signal.SIG_IGN)
    raise Terminated(signum)


@contextlib.contextmanager
def stopping_signals() -> Iterator[None]:
    """Within: SIGTERM and SIGHUP raise :class:`Terminated`, so that a command stops as
    after Ctrl-C (``with`` blocks end what they started, temporary files go). A signal
    already ignored (``nohup``) stays ignored; off the main thread nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in STOPPING}
    for signum, handler in previous.items():
        if handler is not signal.SIG_IGN:
            signal.signal(signum, _terminate)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def stopped_status(cause: BaseException | None) -> int:
    """The exit status after a stop: 128 + the signal's number (130 for Ctrl-C)."""
    return 128 + (cause.signum if isinstance(cause, Terminated) else signal.SIGINT)

"""PDF: Word documents become PDFs through one headless LibreOffice run.

All documents of a call go to a single ``soffice --convert-to pdf`` process: starting
LibreOffice costs more than converting a short report. It runs with a throw-away user
profile, so it works as root, beside a LibreOffice the user has open, and beside other
conversions; and with the fontconfig file shipped in ``reportgen/fonts``, which maps the
official font names (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体) to free faces of the
same kind. Each PDF is written atomically beside its .docx: complete, or not at all.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable, Optional, Sequence

from reportgen.errors import ToolMissingError, os_reason
from reportgen.rendering import write_atomically

FONTS_CONF = Path(__file__).resolve().parent / "fonts" / "fonts.conf"
INSTALL = ("apt-get install -y libreoffice-writer-nogui fonts-noto-cjk "
           "fonts-lxgw-wenkai fonts-arphic-gkai00mp")

# LibreOffice stamps each PDF with its creation time, a random document ID and a checksum
# of the two (hex digits, the ID between <>, the checksum after a slash).
_DATES = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d{14})")
_HEX = re.compile(rb"(?<=/ID)\s*\[[^\]]*\]|(?<=/DocChecksum)\s*/[0-9A-Fa-f]+")
_EPOCH = b"19800101000000"


def find_soffice() -> str:
    """The LibreOffice program, or :class:`ToolMissingError` saying how to install it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ToolMissingError(f"生成PDF需要LibreOffice，但本机没有安装。请以管理员身份安装：\n  {INSTALL}")


def convert(documents: Sequence[Path], timeout: Optional[float] = None,
            progress: Optional[Callable[[int], None]] = None) -> dict[Path, Optional[str]]:
    """Convert each .docx to a .pdf beside it, all in one LibreOffice run.

    Returns, for each document, None if its PDF was written, else a message in Chinese.
    ``timeout`` (seconds) defaults to two minutes plus half a minute a document;
    ``progress``, if given, is told how many documents LibreOffice has reached so far.
    """
    soffice = find_soffice()
    if not documents:
        return {}
    work = Path(tempfile.mkdtemp(prefix="reportgen-pdf-"))
    try:
        # Numbered copies: names of any kind (spaces, "-" first, equal stems) convert alike.
        (work / "in").mkdir()
        inputs = [work / "in" / f"{number:05d}.docx" for number in range(len(documents))]
        for document, copy in zip(documents, inputs):
            shutil.copyfile(document, copy)
        problem = _run(soffice, inputs, work, timeout or 120 + 30 * len(documents), progress)
        return {document: _collect(work / "out" / f"{number:05d}.pdf", document, problem)
                for number, document in enumerate(documents)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    env.pop("DISPLAY", None)  # headless even where a desktop session is reachable
    return env


def _run(soffice: str, inputs: list[Path], work: Path, timeout: float,
         progress: Optional[Callable[[int], None]]) -> str:
    """Run one conversion; returns the errors LibreOffice printed, or why it was stopped."""
    out = work / "out"
    command = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}",
               "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault",
               "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out), *map(str, inputs)]
    log_path = work / "soffice.log"  # a file, not a pipe: a long batch's log cannot fill it
    with open(log_path, "wb") as log:
        # A session of its own, so a hung LibreOffice and the process it started can be
        # ended together, by this process group's id.
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT, env=_environment(), cwd=work,
                                   start_new_session=True)
        try:
            if not _wait(process, timeout, out, progress):
                return f"LibreOffice 在 {timeout:.0f} 秒内未完成转换，已终止"
        except BaseException:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    lines = log_path.read_text("utf-8", "replace").splitlines()
    return " ".join(line.strip() for line in lines if "error" in line.lower())[:300]


def _wait(process: subprocess.Popen, timeout: float, out: Path,
          progress: Optional[Callable[[int], None]]) -> bool:
    """Wait for LibreOffice, telling ``progress`` of each PDF it starts; False if it
    ran out of time and was stopped."""
    deadline, reached = time.monotonic() + timeout, 0
    while process.poll() is None:
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return False
        time.sleep(0.1)
        if progress is not None and out.is_dir():
            count = sum(1 for _ in out.glob("*.pdf"))
            if count != reached:
                reached = count
                progress(count)
    return True


def _collect(produced: Path, document: Path, problem: str) -> Optional[str]:
    """Move one produced PDF into place; the error message if there is none."""
    try:
        data = produced.read_bytes()
    except FileNotFoundError:
        data = b""
    if not data.startswith(b"%PDF"):
        return f"LibreOffice 未能把 {document.name} 转换为PDF" + (f"（{problem}）" if problem else "")
    try:
        write_atomically(document.with_suffix(".pdf"), stable(data))
    except OSError as exc:
        return f"无法写入 {document.with_suffix('.pdf')}：{os_reason(exc)}"
    return None


def stable(pdf: bytes) -> bytes:
    """The PDF with its creation time, ID and checksum fixed, so the same document
    gives the same bytes. Each value keeps its length, so the file's cross-reference
    offsets stay right."""
    def fill(digits: bytes):
        return lambda match: re.sub(rb"[0-9A-Fa-f]{2,}", lambda run: (digits * 64)[:len(run.group(0))],
                                    match.group(0))

    pdf = _HEX.sub(fill(b"0"), _DATES.sub(lambda match: match.group(1) + _EPOCH, pdf))
    # An ID drawn from the content: the same for the same document, distinct for others.
    digest = hashlib.md5(pdf, usedforsecurity=False).hexdigest().upper().encode()
    return _HEX.sub(fill(digest), pdf)

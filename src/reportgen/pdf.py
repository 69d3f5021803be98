"""PDF: Word documents become PDFs through headless LibreOffice, one process per job.

:class:`Converters` starts N LibreOffice processes at once, each with a user profile of
its own, before the documents exist (while they are rendered); :meth:`Converters.convert`
then splits the documents between them. Each conversion is a short ``soffice
--convert-to`` run that hands its files to the waiting process of the same profile (the
way LibreOffice passes a second launch to the running one) and waits until they are
done; the waiting process then exits by itself. LibreOffice's start-up, the slow part,
overlaps the rendering, and N processes use N cores.

Profiles are kept between runs in ``$XDG_CACHE_HOME/reportgen/lo-profile-N`` (else
``~/.cache/…``); building one costs 0.15–0.6 s, and a kept one is marked as started by
this LibreOffice version, which spares the graphics self-tests that headless LibreOffice
otherwise runs at every start (0.5 of its 0.6 CPU seconds of start-up). A profile is
used by one process at a time: each has a lock file held (``flock``) while it is in use,
so two batches running at once take different profiles (LibreOffice processes sharing a
profile would hand their work to each other). Where no cache folder can be written, a throw-away profile
is used. The font map shipped in ``reportgen/fonts`` maps the official font names
(仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体) to free faces of the same kind. Each PDF
is written atomically beside its .docx: complete, or not at all.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator, Optional, Sequence

from reportgen.errors import ReportgenError, ToolMissingError
from reportgen.cachedir import cache_folder
from reportgen.docx.files import write_atomically

FONTS_CONF = Path(__file__).resolve().parent / "fonts" / "fonts.conf"
INSTALL = ("apt-get install -y libreoffice-writer-nogui fonts-noto-cjk "
           "fonts-lxgw-wenkai fonts-arphic-gkai00mp")
PROFILES = 64  # cached profiles tried before falling back to a throw-away one
EXIT_GRACE = 2.0  # seconds a LibreOffice is given to exit by itself after its conversion
STOP_GRACE = 1.0  # seconds a LibreOffice never handed work is given to end on SIGTERM

# LibreOffice stamps each PDF with its creation time, a random document ID and a checksum
# of the two (hex digits, the ID between <>, the checksum after a slash).
_DATES = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d{14})")
# A literal first, which the regex engine looks for fast: 0.3 ms a PDF, not 3.
_HEX = re.compile(rb"/(?:ID|DocChecksum)\s*(?:\[[^\]]*\]|/[0-9A-Fa-f]+)")
_KEY = re.compile(rb"/(?:ID|DocChecksum)\s*")
_EPOCH = b"19800101000000"

# LibreOffice runs about a hundred graphics self-tests (GraphicsRenderTests) when a new
# version first starts with a profile, and knows the version is not new by the profile's
# ooSetupLastVersion; but only its windowed start-up records that setting, so headless
# it ran them at every start: 0.5 of its 0.6 CPU seconds of start-up, measured here.
_LAST_VERSION = re.compile(r'<item oor:path="/org\.openoffice\.Setup/Product"><prop '
                           r'oor:name="ooSetupLastVersion".*?</item>\n?')
_VERSION = re.compile(rb'<prop oor:name="ooSetupVersion">\s*<value>([0-9.]+)</value>')


def find_soffice() -> str:
    """The LibreOffice program, or :class:`ToolMissingError` saying how to install it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ToolMissingError(f"生成PDF需要LibreOffice，但本机没有安装。请以管理员身份安装：\n  {INSTALL}")


def convert(documents: Sequence[Path], timeout: Optional[float] = None,
            progress: Optional[Callable[[int], None]] = None, jobs: int = 1) -> dict[Path, Optional[str]]:
    """Convert each .docx to a .pdf beside it, with ``jobs`` LibreOffice processes.

    Returns, for each document, None if its PDF was written, else a message in Chinese.
    ``timeout`` (seconds) defaults to two minutes plus half a minute a document of the
    longest share; ``progress``, if given, is told how many PDFs are made so far.
    Raises :class:`ToolMissingError` without LibreOffice.
    """
    if not documents:
        find_soffice()
        return {}
    with Converters(min(jobs, len(documents))) as converters:
        return converters.convert(documents, timeout, progress)


class Interrupted(Exception):
    """A conversion was stopped (Ctrl-C, a command's SIGTERM): ``done`` maps each document
    whose PDF is in place, complete, to None. ``__cause__`` is what stopped it."""

    def __init__(self, done: dict[Path, None]):
        super().__init__("interrupted")
        self.done = done


class Converters:
    """``jobs`` LibreOffice processes, started on entry, ended on exit at the latest.

    Use as a context manager around the rendering, then call :meth:`convert` once::

        with pdf.Converters(jobs) as converters:
            ...render the documents...
            errors = converters.convert(paths)

    Entering raises :class:`ToolMissingError` without LibreOffice. Not shared between
    threads: each caller makes its own.
    """

    def __init__(self, jobs: int = 1):
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        self.jobs = jobs
        self._stack = contextlib.ExitStack()
        self._processes: list[_Process] = []
        self._work: Optional[Path] = None

    def __enter__(self) -> "Converters":
        soffice = find_soffice()
        version = _version(soffice)
        with contextlib.ExitStack() as stack:
            self._work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="reportgen-pdf-")))
            for number in range(self.jobs):
                profile = stack.enter_context(_profile())
                built = _built(profile)
                if built:
                    _started_before(profile, version)
                process = stack.enter_context(_Process(soffice, profile, self._work / f"job{number}", built))
                self._processes.append(process)
            self._stack = stack.pop_all()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stack.close()  # each process ended, its profile released, the work folder gone

    def convert(self, documents: Sequence[Path], timeout: Optional[float] = None,
                progress: Optional[Callable[[int], None]] = None) -> dict[Path, Optional[str]]:
        """Convert each .docx to a .pdf beside it; see :func:`convert`. Stopped (Ctrl-C, or
        a command's SIGTERM: no :class:`Exception`), it ends LibreOffice, moves the PDFs
        complete so far into place and raises :class:`Interrupted`."""
        if self._work is None:
            raise RuntimeError("Converters.convert must be called inside its with block")
        if not documents:
            return {}
        run = self._work / f"run-{time.monotonic_ns()}"
        inputs, out = run / "in", run / "out"
        # Numbered copies: names of any kind (spaces, "-" first, equal stems) convert alike.
        copies = [inputs / f"{number:05d}.docx" for number in range(len(documents))]
        try:
            inputs.mkdir(parents=True)
            for document, copy in zip(documents, copies):
                shutil.copyfile(document, copy)
            shares = [copies[start::len(self._processes)] for start in range(len(self._processes))]
            shares = [share for share in shares if share]
            limit = timeout or 120 + 30 * max(len(share) for share in shares)
            problems = _run_all(list(zip(self._processes, shares)), out, limit, progress)
        except Exception:
            raise
        except BaseException as stop:
            for process in self._processes:
                process.kill()  # nothing is written any more
            # Only a complete PDF is moved (see _complete); the rest goes with the work folder.
            done = {document: None for document, copy in zip(documents, copies)
                    if _collect(out / f"{copy.stem}.pdf", document, "") is None}
            raise Interrupted(done) from stop
        found = {copy: problem for share, problem in zip(shares, problems) for copy in share}
        return {document: _collect(out / f"{copy.stem}.pdf", document, found[copy])
                for document, copy in zip(documents, copies)}


def _run_all(work: list[tuple["_Process", list[Path]]], out: Path, timeout: float,
             progress: Optional[Callable[[int], None]]) -> list[str]:
    """Give each process its share and wait for all; each share's problem ('' if none)."""
    clients = [process.hand(share, out) for process, share in work]
    deadline, reached = time.monotonic() + timeout, 0
    while any(client.poll() is None for client in clients):
        if time.monotonic() > deadline:
            for process, _ in work:
                process.kill()
            return [f"LibreOffice 在 {timeout:.0f} 秒内未完成转换，已终止"] * len(work)
        time.sleep(0.05)
        if progress is not None and out.is_dir():
            count = sum(1 for _ in out.glob("*.pdf"))
            if count != reached:
                reached = count
                progress(count)
    return [process.errors() for process, _ in work]


class _Process:
    """One LibreOffice with one profile: started at once, waiting for its documents."""

    def __init__(self, soffice: str, profile: Path, folder: Path, built: bool = False):
        """``built``: the profile was complete before this run (:func:`_built`)."""
        self.soffice, self.profile, self.folder, self.built = soffice, profile, folder, built
        (folder / "tmp").mkdir(parents=True)
        self.server = self._start([], folder / "server.log")
        self.client: Optional[subprocess.Popen] = None

    def __enter__(self) -> "_Process":
        return self

    def __exit__(self, *exc_info) -> None:
        """End it: after a finished conversion it exits by itself; never given documents,
        it is asked to end (:meth:`stop`); interrupted in a conversion, it is killed and
        its profile built again. Whatever stops this, LibreOffice does not outlive it."""
        try:
            if self.client is None:
                self.stop()
            elif self.client.poll() is None:
                self.kill()
            else:
                self.server.wait(EXIT_GRACE)
        except subprocess.TimeoutExpired:
            self.kill()
        except BaseException:
            self.kill()
            raise

    def stop(self) -> None:
        """End a LibreOffice never handed work (a template failed, the run was stopped):
        SIGTERM, then SIGKILL if it has not ended within STOP_GRACE.

        Its profile is kept only if it was complete before this run. LibreOffice exits at once on SIGTERM, not in an orderly way
        (within milliseconds, at any point of its start-up), so SIGTERM is no safer than
        SIGKILL for what it was writing. Building a profile (a copy of LibreOffice's
        presets, a registry of its extensions) takes tenths of a second and can be left
        half done: a profile not complete before is removed and built next time. With a
        complete one, LibreOffice writes at start only its lock file, its settings (a
        temporary file renamed over them) and its extensions' stamps (an older stamp only
        makes it check them again): nothing unsafe to cut short, by SIGTERM or by the
        SIGKILL that follows for one still starting after STOP_GRACE (a busy machine)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.server.pid, signal.SIGTERM)  # oosplash and soffice.bin alike
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.server.wait(STOP_GRACE)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.server.pid, signal.SIGKILL)  # what did not end, and anything of its group left over
        self.server.wait()
        if not self.built:
            shutil.rmtree(self.profile, ignore_errors=True)

    def _start(self, arguments: list[str], log: Path) -> subprocess.Popen:
        command = [self.soffice, f"-env:UserInstallation={self.profile.as_uri()}",
                   "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault",
                   *arguments]
        with open(log, "wb") as handle:  # a file, not a pipe: a long batch's log cannot fill it
            # A session of its own, so a hung LibreOffice and the processes it started are
            # ended together, by this process group's id.
            return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT,
                                    env=_environment(self.folder / "tmp"), cwd=self.folder, start_new_session=True)

    def hand(self, documents: list[Path], out: Path) -> subprocess.Popen:
        """Start the conversion of ``documents`` into ``out``; the returned process ends
        when they are done. (If the waiting LibreOffice is not listening yet, this one
        converts them itself and the other hands over nothing and exits.)"""
        self.client = self._start(["--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out),
                                   *map(str, documents)], self.folder / "client.log")
        return self.client

    def errors(self) -> str:
        """What either LibreOffice printed about errors."""
        lines = []
        for log in ("server.log", "client.log"):
            text = (self.folder / log).read_text("utf-8", "replace") if (self.folder / log).exists() else ""
            lines += [line.strip() for line in text.splitlines() if "error" in line.lower()]
        return " ".join(dict.fromkeys(lines))[:300]  # each once: both may print the same

    def kill(self) -> None:
        for process in (self.server, self.client):
            if process is not None and process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def _environment(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["TMPDIR"] = str(tmp)  # its temporary files (copies of documents) go with the work folder
    env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    env.pop("DISPLAY", None)  # headless even where a desktop session is reachable
    return env


@contextlib.contextmanager
def _profile() -> Iterator[Path]:
    """A LibreOffice profile folder for this process alone while in use: the first cached
    one no other process holds, or a throw-away one."""
    with contextlib.ExitStack() as stack:
        folder = cache_folder()  # None where none can be made
        for number in range(PROFILES if folder else 0):
            taken = _lock(folder / f"lo-profile-{number}.lock")
            if taken is not None:
                stack.callback(os.close, taken)
                yield folder / f"lo-profile-{number}"
                return
        yield Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="reportgen-lo-profile-")))


def _lock(path: Path) -> Optional[int]:
    """An open descriptor holding ``path``'s exclusive lock, or None if another holds it
    (or it cannot be locked). The lock goes with the descriptor, even if the process dies."""
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        return None
    return descriptor


def _version(soffice: str) -> Optional[str]:
    """LibreOffice's version as its configuration gives it ("7.4"), or None if unknown."""
    registry = Path(os.path.realpath(soffice)).parent.parent / "share" / "registry" / "main.xcd"
    try:
        found = _VERSION.search(registry.read_bytes())
    except OSError:
        return None
    return found.group(1).decode() if found else None


def _built(profile: Path) -> bool:
    """Whether LibreOffice has built ``profile``: its settings (always replaced whole, a
    temporary file renamed) say that its presets are copied (ooSetupInstCompleted)."""
    try:
        text = (profile / "user" / "registrymodifications.xcu").read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return "ooSetupInstCompleted" in text and "</oor:items>" in text


def _started_before(profile: Path, version: Optional[str]) -> None:
    """Record in a profile LibreOffice has built that ``version`` has started with it, so
    that it skips its first-start self-tests. A profile not built yet is left to
    LibreOffice to build (it runs them once); a failure to write only costs time."""
    settings = profile / "user" / "registrymodifications.xcu"
    item = (f'<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" '
            f'oor:op="fuse"><value>{version}</value></prop></item>\n')
    try:
        text = settings.read_text("utf-8") if version else ""
    except (OSError, UnicodeDecodeError):
        return
    if item in text or "</oor:items>" not in text:
        return
    with contextlib.suppress(ReportgenError):  # write_atomically's failure to write
        write_atomically(settings, _LAST_VERSION.sub("", text).replace("</oor:items>", item + "</oor:items>")
                         .encode("utf-8"))


def _collect(produced: Path, document: Path, problem: str) -> Optional[str]:
    """Move one produced PDF into place; the error message if there is none."""
    try:
        data = produced.read_bytes()
    except FileNotFoundError:
        data = b""
    if not _complete(data):
        return f"LibreOffice 未能把 {document.name} 转换为PDF" + (f"（{problem}）" if problem else "")
    try:
        write_atomically(document.with_suffix(".pdf"), stable(data))
    except ReportgenError as exc:  # "无法写入 x.pdf：…", as write_atomically says it
        return str(exc)
    return None


def _complete(pdf: bytes) -> bool:
    """Whether ``pdf`` is whole. LibreOffice writes one in place from start to end, its
    trailer's ``%%EOF`` last, with no incremental updates: one cut short lacks it."""
    return pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")


def stable(pdf: bytes) -> bytes:
    """The PDF with its creation time, ID and checksum fixed, so the same document
    gives the same bytes. Each value keeps its length, so the file's cross-reference
    offsets stay right."""
    def fill(digits: bytes):
        def value(match: re.Match) -> bytes:
            key = _KEY.match(match.group(0)).group(0)  # its hex letters stay ("DocChecksum")
            found = match.group(0)[len(key):]
            return key + re.sub(rb"[0-9A-Fa-f]{2,}", lambda run: (digits * 64)[:len(run.group(0))], found)
        return value

    pdf = _HEX.sub(fill(b"0"), _DATES.sub(lambda match: match.group(1) + _EPOCH, pdf))
    # An ID drawn from the content: the same for the same document, distinct for others.
    digest = hashlib.md5(pdf, usedforsecurity=False).hexdigest().upper().encode()
    return _HEX.sub(fill(digest), pdf)

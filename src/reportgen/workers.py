"""Supervised worker processes: many jobs, one in each worker's hands at a time.

``concurrent.futures`` gives up a whole pool when one worker dies and cannot stop a job
that runs too long. A batch over a district's reports must do better, so the parent
here watches each worker and the one job it holds:

- a worker that dies (killed, out of memory) costs only the job in its hands, which is
  tried once more in a new worker; a second death fails that job alone;
- a job that runs past ``time_limit`` seconds is stopped with its worker and fails alone;
- anything that stops the parent (Ctrl-C's KeyboardInterrupt, or the exception a
  command's SIGTERM handler raises) stops every worker at once; the jobs finished so far
  come back in :class:`Interrupted`, and ``cleanup`` is called for the jobs that were in
  hand, to remove what they had begun to write.

Workers are forked on Linux (milliseconds, reportgen already imported) and ignore
SIGINT: the parent alone decides when they stop. Nothing here changes process-wide
state: signal handling in the parent is the command line's.
"""
from __future__ import annotations

import multiprocessing
import signal
import sys
import time
from collections import deque
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Optional, Sequence

#: how often a job whose worker died is tried again before it fails.
RETRIES = 1


class Interrupted(Exception):
    """The run was stopped; ``done`` maps job index → result so far, ``__cause__`` is
    what stopped it (KeyboardInterrupt, or the command's own exception for SIGTERM)."""

    def __init__(self, done: dict[int, Any]):
        super().__init__("stopped")
        self.done = done


def _serve(function: Callable[[Any], Any], conn: Connection) -> None:
    """A worker's life: take a job, send back its result, until told to stop."""
    # The parent decides when to stop: Ctrl-C and a closed terminal (SIGHUP) reach the
    # whole process group; SIGTERM is sent to the parent alone, or to end a worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):  # the parent has gone
            return
        if item is None:
            return
        index, job = item
        conn.send((index, function(job)))


class _Worker:
    def __init__(self, context, function: Callable[[Any], Any]):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(function, child), daemon=True)
        self.process.start()
        child.close()
        self.job: Optional[tuple[int, Any]] = None
        self.started = 0.0

    def give(self, index: int, job: Any) -> None:
        self.job, self.started = (index, job), time.monotonic()
        self.conn.send((index, job))

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(1)
        self.conn.close()


def run(function: Callable[[Any], Any], jobs: Sequence[Any], workers: int,
        on_result: Callable[[int, Any], None], failure: Callable[[Any, str], Any],
        time_limit: Optional[float] = None,
        cleanup: Callable[[Any], None] = lambda job: None) -> dict[int, Any]:
    """Run ``function(job)`` for every job in ``workers`` processes.

    ``on_result(index, result)`` is called as each job finishes; ``failure(job, why)``
    makes the result of a job whose worker died or ran out of time (``why`` in Chinese).
    Returns job index → result. Raises :class:`Interrupted` on SIGINT or SIGTERM (a
    BaseException that is no Exception); any Exception propagates as it is, the workers
    stopped and ``cleanup`` called for the jobs in hand.
    """
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    pending = deque(enumerate(jobs))
    deaths: dict[int, int] = {}
    done: dict[int, Any] = {}
    pool: list[_Worker] = []

    def finish(index: int, result: Any) -> None:
        done[index] = result
        on_result(index, result)

    try:
        pool = [_Worker(context, function) for _ in range(max(1, min(workers, len(jobs))))]
        while pending or any(w.job for w in pool):
            for worker in pool:
                if worker.job is None and pending:
                    worker.give(*pending.popleft())
            busy = [w for w in pool if w.job is not None]
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                             timeout=_wait_for(busy, time_limit)))
            for slot, worker in enumerate(pool):
                if worker.job is None:
                    continue
                index, job = worker.job
                if worker.conn in ready:
                    try:
                        _, result = worker.conn.recv()
                    except (EOFError, OSError):
                        result = None  # it died while answering: seen below
                    else:
                        worker.job = None
                        finish(index, result)
                        continue
                if worker.process.sentinel in ready or not worker.process.is_alive():
                    deaths[index] = deaths.get(index, 0) + 1
                    cleanup(job)
                    if deaths[index] > RETRIES:
                        finish(index, failure(job, f"处理进程意外退出（已重试{RETRIES}次）"))
                    else:
                        pending.appendleft((index, job))
                elif time_limit is not None and time.monotonic() - worker.started > time_limit:
                    cleanup(job)
                    finish(index, failure(job, f"超过时间限制（{time_limit:g}秒），已停止"))
                else:
                    continue
                worker.kill()
                pool[slot] = _Worker(context, function)
    except BaseException as exc:  # stop every worker now, whatever ends the run
        for worker in pool:
            worker.kill()
            if worker.job is not None:
                cleanup(worker.job[1])
        if isinstance(exc, Exception):  # a bug (in on_result, say) is no interruption
            raise
        raise Interrupted(done) from exc  # Ctrl-C, or the command's exception for SIGTERM
    finally:
        for worker in pool:
            if worker.process.is_alive():
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
        for worker in pool:
            worker.process.join(1)
            worker.kill()
    return done


def _wait_for(busy: list[_Worker], time_limit: Optional[float]) -> Optional[float]:
    """Seconds until the first job in hand runs out of time (None: no limit)."""
    if time_limit is None or not busy:
        return None
    first = min(w.started for w in busy)
    return max(0.0, first + time_limit - time.monotonic()) + 0.01

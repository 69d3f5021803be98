"""Many threads rendering through one template get exactly what one thread gets.

A web service embedding reportgen renders reports for several departments at once; a
document carrying another department's name or figures would be a leak. Each test
renders 40 different documents from 8 threads, three times over, and compares every
document with its sequential rendering, byte for byte.
"""
from __future__ import annotations

import os
import shutil
import stat
import sys
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

import reportgen
from reportgen.kinds import resolve_template

from support import dump_json, sample_data

_SAMPLES = ("liwan-2023.json", "haizhu-2023.json", "tianhe-2023.json", "clean-2023.json")
_REGIONS = ("广州市荔湾区", "广州市海珠区", "广州市天河区", "广州市越秀区", "广州市白云区")


def _models(count: int = 40) -> list:
    """``count`` self-evaluation reports, each with its own department, region and budget."""
    out = []
    for n in range(count):
        data = sample_data(_SAMPLES[n % len(_SAMPLES)])
        data["department"]["name"] = f"第{n}号测试局"
        data["department"]["region"] = _REGIONS[n % len(_REGIONS)]
        data["budget"]["annual_budget"] += Decimal(n)
        out.append(reportgen.loads(dump_json(data)))
    return out


@pytest.fixture(scope="module")
def models() -> list:
    return _models()


@pytest.fixture(autouse=True)
def _switch_often():
    # Threads switch every 5 µs rather than 5 ms, so an unsafe step is met within seconds.
    before = sys.getswitchinterval()
    sys.setswitchinterval(5e-6)
    yield
    sys.setswitchinterval(before)


def _in_threads(render, items: list, workers: int = 8) -> list[bytes]:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(render, items))


def _assert_same(threaded: list[bytes], sequential: list[bytes]) -> None:
    wrong = [n for n, (a, b) in enumerate(zip(threaded, sequential)) if a != b]
    assert not wrong, f"{len(wrong)} of {len(sequential)} documents differ from their sequential rendering"


def test_one_template_renders_many_documents_at_once(models):
    from reportgen.engine import Template

    template = Template(resolve_template(models[0]))
    contexts = [reportgen.context(model) for model in models]
    sequential = [template.render_bytes(context) for context in contexts]
    assert len(set(sequential)) == len(models)  # 40 different documents
    for _ in range(3):
        _assert_same(_in_threads(template.render_bytes, contexts), sequential)


def test_render_bytes_from_many_threads(models):
    sequential = [reportgen.render_bytes(model) for model in models]
    assert len(set(sequential)) == len(models)
    for _ in range(3):
        _assert_same(_in_threads(reportgen.render_bytes, models), sequential)


def test_a_fresh_template_renders_its_first_documents_at_once(models):
    """The first documents of a template, rendered at once, each prepare nothing twice
    and get what the sequential rendering gets."""
    from reportgen.engine import Template

    path = resolve_template(models[0])
    contexts = [reportgen.context(model) for model in models[:16]]
    sequential = [Template(path).render_bytes(context) for context in contexts]
    _assert_same(_in_threads(Template(path).render_bytes, contexts), sequential)


# ---- what rendering leaves of the process: nothing ------------------------------------------


def test_writing_a_document_applies_the_umask_and_leaves_it_alone(tmp_path):
    """A flipped umask (set to 0 to read it) would be seen by every other thread that
    creates a file meanwhile; the file must still get the mode the umask gives."""
    from reportgen.docx.files import write_atomically

    before = os.umask(0o027)
    try:
        path = write_atomically(tmp_path / "sub" / "r.docx", b"data")
        assert os.umask(0o027) == 0o027  # unchanged by the write
    finally:
        os.umask(before)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and path.read_bytes() == b"data"
    assert [p.name for p in path.parent.iterdir()] == ["r.docx"]  # no temporary file left


# ---- the template store -----------------------------------------------------------------------


def test_the_store_reads_a_template_once_and_again_when_it_changes(tmp_path, models):
    from reportgen.engine import TemplateStore

    path = tmp_path / "t.docx"
    shutil.copyfile(resolve_template(models[0]), path)
    store = TemplateStore(size=2)
    first = store.get(path)
    assert store.get(path) is first  # read once while unchanged
    shutil.copyfile(resolve_template(models[0]).with_name("guangzhou.docx"), path)  # edited
    assert store.get(path) is not first
    assert store.get(path).render_bytes(reportgen.context(models[0])) != first.render_bytes(
        reportgen.context(models[0]))
    others = [tmp_path / f"{n}.docx" for n in range(2)]
    for other in others:
        shutil.copyfile(resolve_template(models[0]), other)
        store.get(other)
    assert len(store._slots) == 2  # bounded: the least recently used went


def test_threads_asking_the_store_for_one_template_get_one_template(models):
    from reportgen.engine import TemplateStore

    store, path = TemplateStore(), resolve_template(models[0])
    templates = _in_threads(lambda _: store.get(path), list(range(16)))
    assert len({id(t) for t in templates}) == 1

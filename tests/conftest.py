"""Fixtures shared by the tests (helpers live in support.py)."""
import pytest

from support import sample_data, seed_docx


@pytest.fixture
def liwan():
    return sample_data("liwan-2023.json")


@pytest.fixture(scope="session")
def haizhu(tmp_path_factory):
    """Seed 001 as a clerk's .docx (its grade: “…实现财政资金提质增效，自评良好。”)."""
    return seed_docx(tmp_path_factory.mktemp("seed"), "001")


@pytest.fixture(autouse=True, scope="session")
def _own_cache(tmp_path_factory):
    """The tests keep what reportgen caches between runs in a folder of their own."""
    import os
    os.environ["REPORTGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))

"""Fixtures shared by the tests (helpers live in support.py)."""
import pytest

from support import sample_data


@pytest.fixture
def liwan():
    return sample_data("liwan-2023.json")


@pytest.fixture(autouse=True, scope="session")
def _own_cache(tmp_path_factory):
    """The tests keep what reportgen caches between runs in a folder of their own."""
    import os
    os.environ["REPORTGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))

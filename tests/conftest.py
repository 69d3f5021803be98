"""Fixtures shared by the tests (helpers live in support.py)."""
import pytest

from support import sample_data


@pytest.fixture
def liwan():
    return sample_data("liwan-2023.json")

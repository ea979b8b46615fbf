"""Shared paths and helpers of the Python tests."""

import os
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = REPO / "tests" / "fixtures" / "sample"


@pytest.fixture(scope="session")
def zhdedup_bin() -> pathlib.Path:
    """The `zhdedup` command built from this repository.

    CI sets ZHDEDUP_BIN (after `cargo test --release` built it), so there a
    missing binary fails; elsewhere the test is skipped, visibly.
    """
    given = os.environ.get("ZHDEDUP_BIN")
    if given:
        path = pathlib.Path(given)
        assert path.is_file(), f"ZHDEDUP_BIN={given} does not exist"
        return path
    for profile in ("release", "debug"):
        path = REPO / "target" / profile / "zhdedup"
        if path.is_file():
            return path
    pytest.skip("no zhdedup binary: run `cargo build --release` or set ZHDEDUP_BIN")

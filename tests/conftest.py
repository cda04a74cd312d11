import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
REFERENCES = ROOT / "references"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True, scope="session")
def _cache_dir(tmp_path_factory):
    # Tests share one embedding cache per session, never the user's.
    if "MTLINT_CACHE_DIR" not in os.environ:
        os.environ["MTLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("mtlint-cache"))
    yield


@pytest.fixture(scope="session")
def encoder():
    from mtlint.embed import get_encoder

    return get_encoder()


def corpus_files():
    return sorted(CORPUS.glob("*.txt"))


def reference_for(corpus_file: Path) -> Path:
    matches = sorted(REFERENCES.glob(corpus_file.stem + ".*.txt"))
    assert len(matches) == 1, f"expected one reference for {corpus_file.name}, found {matches}"
    return matches[0]


@pytest.fixture
def fast_encoder():
    """A deterministic encoder with no model (mtlint.testing): for checks that do not need meaning."""
    from mtlint.testing import hashing_encoder

    return hashing_encoder()

"""The default tagger as a module fixture and the codes it gives one text, for tests that tag sentences written
for them (import both into a test module: ``from tests.helpers.tagging import codes, tagger``)."""
from __future__ import annotations

import pytest

from nlp.codebook import default_codebook
from nlp.tagger import Tagger

__all__ = ["tagger", "codes"]


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    """A tagger with the default codebook, one per test module."""
    return Tagger(default_codebook())


def codes(tagger: Tagger, text: str) -> list[str]:
    """The codes the tagger gives ``text``."""
    return tagger.tag_texts([text])[0].codes

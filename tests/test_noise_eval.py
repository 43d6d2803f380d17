"""The noise kinds of tools/noise_eval.py: deterministic copies that keep the words a reader needs."""
import importlib.util
import re
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location("noise_eval", Path(__file__).resolve().parents[1] / "tools" / "noise_eval.py")
ne = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(ne)

TEXT = ("Kommunen har infört ett mobilt team med sjuksköterskor från hemsjukvården och en läkare från "
        "vårdcentralen. Teamet gör hembesök hos äldre med stora behov. Vi har också en vårdkoordinator som "
        "håller ihop planeringen inför utskrivning från sjukhuset, och patienterna erbjuds egenmonitorering "
        "av blodtryck hemifrån.")


def _letters(s: str) -> str:
    return re.sub(r"[^a-zåäöé]", "", s.lower())


@pytest.mark.parametrize("kind", ["pdflines", "splitcompounds", "caps", "bullets", "english"])
def test_every_kind_is_deterministic_and_changes_the_text(kind):
    a = ne.noisy(TEXT, kind, 12, "p1")
    assert a == ne.noisy(TEXT, kind, 12, "p1")
    assert a != TEXT
    assert kind in ne.KINDS


def test_pdflines_wraps_hyphenates_and_adds_a_footer():
    outs = [ne.noisy(TEXT, "pdflines", s, "p1") for s in range(12)]
    for out in outs:
        lines = out.split("\n")
        assert len(lines) >= 4
        body = [l for l in lines if not re.fullmatch(r"Sida \d+( av \d+)?|\d+ \(\d+\)", l)]
        assert len(body) == len(lines) - 1  # exactly one footer line
        assert all(len(l) <= 90 + 25 for l in body)
        # the words are all there once the line-end hyphens are rejoined
        assert _letters(re.sub(r"-\n", "", "\n".join(body))) == _letters(TEXT)
    assert any(re.search(r"\w-\n\w", o) for o in outs)  # some word hyphenated across a break


def test_splitcompounds_splits_domain_compounds_at_the_splitters_boundary():
    outs = {ne.noisy(TEXT, "splitcompounds", s, "p1") for s in range(20)}
    joined = " ".join(outs)
    assert re.search(r"\bhem(?:-| )sjukvården\b", joined)
    assert re.search(r"\bvård(?:-| )centralen\b", joined)
    for out in outs:  # only spaces and hyphens are added
        assert _letters(out) == _letters(TEXT)


def test_caps_puts_one_whole_sentence_in_capitals():
    out = ne.noisy(TEXT, "caps", 12, "p1")
    assert out.lower() == TEXT.lower()
    assert any(s.isupper() for s in re.split(r"(?<=\.) ", out))


def test_bullets_makes_list_items_without_sentence_ends():
    out = ne.noisy(TEXT, "bullets", 12, "p1")
    assert "." not in out
    assert re.match(r"(?:[•–▪-]|1\)) Kommunen", out)
    assert _letters(out) == _letters(TEXT)


def test_english_names_measures_in_english():
    out = ne.noisy(TEXT, "english", 12, "p1")
    for term in ("mobile team", "case manager", "remote monitoring"):
        assert term in out
    assert "vårdkoordinator" not in out and "egenmonitorering" not in out


def test_the_held_out_set_is_refused():
    with pytest.raises(SystemExit, match="held-out"):
        ne.read(Path("data/eval/blind_round28.jsonl"))
    assert "blind_round28" not in ne.SETS

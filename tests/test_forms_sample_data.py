"""The bundled sample files (data/sample/) import to exactly the answers in their source (answers.yaml)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
sys.path.insert(0, str(ROOT))

from reference.registry import resolve, resolve_raw  # noqa: E402
from tools.make_sample_data import load_source  # noqa: E402

FILES = sorted(p for p in SAMPLE.iterdir() if p.is_file())


def _plain(text: str) -> str:
    """Answer text as the CLI shows it: list markers dropped, whitespace collapsed."""
    text = re.sub(r"(?m)^\s*(?:-|•)\s+", "", text)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def imported():
    from importers.base import read_file

    out = {}
    for path in FILES:
        parsed = read_file(path.read_bytes(), path.name)
        for a in parsed.answers:
            r = resolve_raw(a)
            out[(r.name, a.question)] = (path.name, r, _plain(a.text), a.choice)
    return out


def test_every_supported_format_is_shipped():
    suffixes = {p.suffix.lower() for p in FILES}
    assert {".docx", ".xlsx", ".csv", ".pdf", ".txt", ".md"} <= suffixes


def test_sample_covers_six_lan_and_three_regions():
    src = load_source()
    rss_lan = {r.lan for r in src.values() if r.type in ("rss", "kommun")}
    regions = {r.name for r in src.values() if r.type == "region"}
    assert len(rss_lan) >= 6 and len(regions) >= 3


def test_sample_files_import_to_the_source_answers(imported):
    src = load_source()
    expected = {}
    for r in src.values():
        canonical = resolve(r.name, type_hint=r.type, lan_hint=r.lan)
        assert canonical.resolved, r.name
        for qid in set(r.answers) | set(r.choices):
            expected[(canonical.name, qid)] = (_plain(r.answers.get(qid, "")), r.choices.get(qid))
    assert set(imported) == set(expected)
    for key, (text, choice) in expected.items():
        file, resp, got_text, got_choice = imported[key]
        assert resp.resolved, key
        assert got_choice == choice, (file, key)
        # Word extras (a hyperlink, a tracked insertion, a table) come after the typed text.
        assert got_text.startswith(text), (file, key, got_text[:200])
        assert len(got_text) == len(text) or file.endswith(".docx"), (file, key)


def test_placeholders_and_form_text_never_become_answers(imported):
    from reference.forms import is_question_wording

    for file, _, text, choice in imported.values():
        assert "Klicka eller tryck här" not in text, file
        assert not (text and is_question_wording(text)), (file, text[:80])


def test_csv_has_bom_and_semicolons():
    csv_file = next(p for p in FILES if p.suffix == ".csv")
    data = csv_file.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[0] == "Respondent;Typ;Län;Fråga;Svar;Val"

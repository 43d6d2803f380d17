"""Smoke tests of the benchmark corpus generator (bench/corpus.py): deterministic, complete, growing.

No timing here: speed figures come from `python cli.py bench`.
"""
from __future__ import annotations

import csv
import hashlib
import json
import zipfile

import re

import pytest

from bench import corpus as bc
from bench.run import add_keyword

TINY = 0.02  # 6 of the 311 respondents


def _digest(paths) -> dict[str, str]:
    out = {}
    for p in paths:
        if p.suffix == ".docx":  # zip timestamps differ between runs; compare the document XML
            with zipfile.ZipFile(p) as z:  # content-control ids come from a process-wide counter
                data = re.sub(rb'(<w:id w:val=|w:id=)"\d+"', rb'\1""', z.read("word/document.xml"))
        elif p.suffix == ".xlsx":
            with zipfile.ZipFile(p) as z:
                data = b"".join(z.read(n) for n in sorted(z.namelist()) if n.startswith("xl/worksheets/"))
        else:
            data = p.read_bytes()
        out[p.name] = hashlib.sha256(data).hexdigest()
    return out


def test_respondents_cover_every_region_and_kommun():
    people = bc.respondents()
    assert sum(p.type == "region" for p in people) == 21
    assert sum(p.type == "kommun" for p in people) == 290
    assert len({(p.name, p.type) for p in people}) == 311
    assert len({p.lan for p in people}) == 21
    # a small scale is a prefix that mixes regions and kommuner
    assert {p.type for p in people[:6]} == {"region", "kommun"}


def test_same_seed_same_text_other_seed_other_text():
    a, b = bc.generate(TINY, seed=7), bc.generate(TINY, seed=7)
    c = bc.generate(TINY, seed=8)
    assert a.texts() == b.texts()
    assert [x.choice for x in a.answers] == [x.choice for x in b.answers]
    assert a.texts() != c.texts()


def test_requested_respondents_and_questions_with_realistic_lengths():
    qs = bc.free_questions()
    corpus = bc.generate(TINY)
    n_resp = round(311 * TINY)
    assert len(corpus.respondents) == n_resp
    assert len(corpus.answers) == n_resp * len(qs)
    assert {a.question for a in corpus.answers} == {q.id for q in qs}
    lengths = [len(a.text.split()) for a in corpus.answers]
    assert min(lengths) >= bc.MIN_WORDS and max(lengths) <= bc.MAX_WORDS + 10
    closed = {q.id: q for q in qs if q.closed}
    for a in corpus.answers:
        if a.question in closed:
            assert a.choice in closed[a.question].options
        else:
            assert a.choice is None
    # a larger scale keeps the smaller one as its prefix
    bigger = bc.generate(TINY * 2)
    assert bigger.texts()[: len(corpus.answers)] == corpus.texts()


def test_vocabulary_grows_with_scale_and_has_a_compound_tail():
    small = bc.vocabulary(bc.generate(0.01).texts())
    large = bc.vocabulary(bc.generate(0.04).texts())
    assert len(large) > 1.5 * len(small)
    hapax = [w for w, n in large.items() if n == 1]
    assert len(hapax) > 0.4 * len(large)
    long_words = [w for w in large if len(w) >= 15]
    assert len(long_words) > 200  # compounds such as 'hemsjukvårdsteamet'


def test_scale_five_is_five_yearly_rounds_of_everyone():
    five = bc.plan(5)
    assert len(five) == 5 * 311
    assert sorted({y for y, _ in five}) == list(range(bc.FIRST_YEAR, bc.FIRST_YEAR + 5))
    per_year = {}
    for y, r in five:
        per_year.setdefault(y, set()).add((r.name, r.type))
    assert all(len(v) == 311 for v in per_year.values())
    assert bc.plan(1) == five[:311]
    with pytest.raises(ValueError):
        bc.plan(0)


def test_files_are_deterministic_and_hold_every_answer(tmp_path):
    corpus = bc.generate(TINY)
    p1 = bc.write_files(corpus, tmp_path / "a")
    p2 = bc.write_files(bc.generate(TINY), tmp_path / "b")
    assert [p.name for p in p1] == [p.name for p in p2]
    assert _digest(p1) == _digest(p2)
    assert {p.suffix for p in p1} <= {".docx", ".xlsx", ".csv"}
    # every generated answer text is in exactly the file its respondent was assigned to
    for p in p1:
        if p.suffix == ".csv":
            with open(p, encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.DictReader(fh, delimiter=";"))
            assert rows and all(r["Svar"] for r in rows)
            texts = {r["Svar"] for r in rows}
            expected = {a.text for a in corpus.answers
                        if bc.file_format(a.year, a.respondent) == "csv" and p.name.startswith(str(a.year))
                        and bc._slug(a.respondent.lan) in p.name}
            assert texts == expected


def test_docx_files_import_with_every_answer(tmp_path):
    pytest.importorskip("importers.docx_reader")
    from importers.base import read_file

    corpus = bc.generate(TINY)
    docx_paths = [p for p in bc.write_files(corpus, tmp_path) if p.suffix == ".docx"]
    assert docx_paths
    p = docx_paths[0]
    parsed = read_file(p.read_bytes(), p.name)
    texts = {" ".join(a.text.split()) for a in parsed.answers if a.text}
    year = int(p.name[:4])
    # list lines ('- ...') become Word bullet paragraphs: the dash is formatting, not text
    expected = {" ".join(re.sub(r"(?m)^- ", "", a.text).split()) for a in corpus.answers
                if a.year == year and p.name == f"{year}_{bc._slug(a.respondent.name)}.docx"}
    assert expected and expected <= texts


def test_passages_file(tmp_path):
    out = tmp_path / "P.jsonl"
    stats = bc.write_passages(out, words=5_000)
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert stats["passages"] == len(lines) and stats["words"] >= 5_000
    assert len({x["id"] for x in lines}) == len(lines)
    again = tmp_path / "Q.jsonl"
    bc.write_passages(again, words=5_000)
    assert again.read_bytes() == out.read_bytes()
    # passages are not the corpus' answers (another seed)
    assert not {x["text"] for x in lines} & set(bc.generate(TINY).texts())


def test_add_keyword_copies_the_codebook():
    doc = {"categories": [{"id": "c", "codes": [{"id": "a", "keywords": ["x"]}, {"id": "b"}]}]}
    new, code = add_keyword(doc, "b", "trygghetsteamet")
    assert code == "b" and new["categories"][0]["codes"][1]["keywords"] == ["trygghetsteamet"]
    assert "keywords" not in doc["categories"][0]["codes"][1]
    _, fallback = add_keyword(doc, "saknas", "y")
    assert fallback == "a"


def test_national_round_has_a_national_vocabulary():
    """×1 holds at least 70,000 word types, most of them seen once (new compounds)."""
    voc = bc.vocabulary(bc.generate(1).texts())
    assert len(voc) >= 70_000
    hapax = sum(1 for n in voc.values() if n == 1)
    assert hapax > 0.8 * len(voc)
    long_hapax = sum(1 for w, n in voc.items() if n == 1 and len(w) >= 15)
    assert long_hapax > 0.5 * len(voc)  # mostly compounds

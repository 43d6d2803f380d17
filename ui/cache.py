"""Caches: the store and NLP pipeline once per process (`st.cache_resource`), derived tables
once per project version (`st.cache_data` keyed on the file path and `store.data_version`).

A rerun of a page therefore never recomputes NLP or re-reads unchanged tables; any write
to the project bumps its data version and the next read recomputes.
"""
from __future__ import annotations

from typing import Any, Optional

import pandas as pd
import streamlit as st

from models import coverage, queries, views
from models.store import ProjectStore, StoreError
from nlp import pipeline
from nlp.pii import find_pii
from nlp.pipeline import get_nlp
from ui import auth


@st.cache_resource(show_spinner=False, max_entries=20)
def _store(path: str) -> ProjectStore:
    return ProjectStore(path)


def get_store(path: str) -> ProjectStore:
    """The shared ProjectStore of a project file (raises StoreError for a bad file).

    On a team server the signed-in user's membership is checked first, so a non-member never
    reaches a store (or any table cached under its path)."""
    if not auth.may_view_project(path):
        raise StoreError("Du har inte tillgång till projektet: du är inte medlem i det.")
    return _store(str(path))


def forget_store(path: str) -> None:
    """Drop a cached store (after the file was replaced or removed)."""
    try:
        _store(str(path)).close()
    except Exception:  # noqa: BLE001
        pass
    _store.clear()


@st.cache_resource(show_spinner="Laddar språkmodellen …")
def nlp():
    """The Swedish spaCy pipeline (loaded once per server process)."""
    return get_nlp()


def _key(store: ProjectStore) -> tuple[str, int]:
    return str(store.path), store.data_version


@st.cache_data(show_spinner=False, max_entries=50)
def _answer_frame(path: str, version: int) -> pd.DataFrame:
    return get_store(path).answer_frame()


def answer_frame(store: ProjectStore) -> pd.DataFrame:
    return _answer_frame(*_key(store))


@st.cache_data(show_spinner=False, max_entries=50)
def _codebook_doc(path: str, version: int) -> dict:
    return views.codebook_doc(get_store(path))


def codebook_doc(store: ProjectStore) -> dict:
    """The project's codebook document (a copy: safe to edit)."""
    return _codebook_doc(*_key(store))


@st.cache_data(show_spinner=False, max_entries=50)
def _code_frame(path: str, version: int) -> pd.DataFrame:
    return views.code_frame(doc=_codebook_doc(path, version))


@st.cache_data(show_spinner=False, max_entries=50)
def _question_wordings(path: str, version: int) -> tuple[dict[int, str], dict[str, str]]:
    from models import question_texts as qt

    current = {q.id: q.text for q in get_store(path).questions()}
    frame = _answer_frame(path, version)
    rounds = frame["round"].fillna("").astype(str) if "round" in frame else pd.Series([""] * len(frame))
    wordings = qt.round_wordings(current, rounds.unique())
    per_answer = {int(a): qt.wording(wordings, current, r, q)
                  for a, r, q in zip(frame["answer_id"], rounds, frame["question"].astype(str))}
    return per_answer, qt.question_texts(current, zip(rounds, frame["question"].astype(str)))


def answer_question_texts(store: ProjectStore) -> dict[int, str]:
    """Answer id -> the wording of its question as asked in its round (a 2021 answer: the 2021 form's)."""
    return _question_wordings(*_key(store))[0]


def question_texts(store: ProjectStore) -> dict[str, str]:
    """Question id -> wording for lists of questions over all rounds ("2022: … · 2021: …" where they differ)."""
    return _question_wordings(*_key(store))[1]


def code_frame(store: ProjectStore) -> pd.DataFrame:
    return _code_frame(*_key(store))


@st.cache_data(show_spinner=False, max_entries=50)
def _code_labels(path: str, version: int) -> dict[str, str]:
    frame = _code_frame(path, version)
    return {**get_store(path).former_code_labels(), **dict(zip(frame["code_id"], frame["code_label"]))}


def code_labels(store: ProjectStore) -> dict[str, str]:
    """Every code's label by id: the current codebook's, and for a code taken out of the codebook the label of the
    newest version that had it (histories and undo messages name it; read once per project version)."""
    return dict(_code_labels(*_key(store)))


def _empty_excerpts(with_answer_text: bool = False) -> pd.DataFrame:
    columns = list(views.EXCERPT_COLUMNS) + (["answer_text"] if with_answer_text else [])
    return pd.DataFrame({c: pd.Series(dtype=bool if c == "negated" else object) for c in columns})


def _excerpt_frame(store: ProjectStore, version: int, **kwargs) -> pd.DataFrame:
    """views.excerpt_frame, or an empty frame when nothing matches (views cannot merge an empty
    result against empty lookup tables; reported to its owner)."""
    try:
        return views.excerpt_frame(store, doc=_codebook_doc(str(store.path), version), **kwargs)
    except ValueError:
        if not queries.has_codings(store, kwargs.get("decisions")):
            return _empty_excerpts(kwargs.get("with_answer_text", False))
        raise


@st.cache_data(show_spinner=False, max_entries=100)
def _excerpts(path: str, version: int, decisions: Optional[tuple], with_answer_text: bool) -> pd.DataFrame:
    return _excerpt_frame(get_store(path), version, decisions=decisions, with_answer_text=with_answer_text)


def excerpts(store: ProjectStore, decisions: Optional[tuple] = None, with_answer_text: bool = False) -> pd.DataFrame:
    """All excerpts of the given decisions (None = all), filtered later in pandas."""
    return _excerpts(*_key(store), tuple(decisions) if decisions is not None else None, with_answer_text)


@st.cache_data(show_spinner=False, max_entries=200)
def _code_excerpts(path: str, version: int, code_id: str) -> pd.DataFrame:
    return _excerpt_frame(get_store(path), version, decisions=None, code_ids=[code_id])


def code_excerpts(store: ProjectStore, code_id: str) -> pd.DataFrame:
    """Every excerpt (any decision) of one code."""
    return _code_excerpts(*_key(store), code_id)


@st.cache_data(show_spinner=False, max_entries=100)
def _review_queue(path: str, version: int, code_id: Optional[str], include_negated: bool,
                  size: int, round_label: Optional[str] = None) -> tuple[int, pd.DataFrame]:
    store = get_store(path)
    total, rows = queries.lowest_confidence_suggestions(store, code_id=code_id, include_negated=include_negated,
                                                        size=size, round_label=round_label)
    if not rows:
        return int(total), _empty_excerpts()
    ids = [int(r[0]) for r in rows]
    df = _excerpt_frame(store, version, decisions=("suggested",), answer_ids=sorted({int(r[1]) for r in rows}))
    df = df[df["coding_id"].isin(ids)]
    return int(total), df.sort_values(["confidence", "coding_id"]).reset_index(drop=True)


def review_queue(store: ProjectStore, code_id: Optional[str], include_negated: bool,
                 size: int, round_label: Optional[str] = None) -> tuple[int, pd.DataFrame]:
    """(number of open suggestions, the `size` with the lowest confidence) for the Granska queue,
    optionally only in one round's answers."""
    return _review_queue(*_key(store), code_id, include_negated, size, round_label)


@st.cache_data(show_spinner=False, max_entries=50)
def _coverage_table(path: str, version: int, decisions: tuple) -> pd.DataFrame:
    df = views.coverage_table(get_store(path), decisions=decisions, doc=_codebook_doc(path, version))
    return df.drop(columns=["coverage"])


def coverage_table(store: ProjectStore, decisions: tuple) -> pd.DataFrame:
    return _coverage_table(*_key(store), tuple(decisions))


@st.cache_data(show_spinner=False, max_entries=50)
def _matrix_long(path: str, version: int, decisions: tuple) -> pd.DataFrame:
    return views.matrix_long(get_store(path), decisions=decisions, doc=_codebook_doc(path, version))


def matrix_long(store: ProjectStore, decisions: tuple) -> pd.DataFrame:
    return _matrix_long(*_key(store), tuple(decisions))


@st.cache_data(show_spinner=False, max_entries=50)
def _type_matrix(path: str, version: int, decisions: tuple) -> pd.DataFrame:
    return views.matrix(get_store(path), decisions=decisions, by="respondent_type", labels=True,
                        doc=_codebook_doc(path, version))


def type_matrix(store: ProjectStore, decisions: tuple) -> pd.DataFrame:
    return _type_matrix(*_key(store), tuple(decisions))


def answer_segments(store: ProjectStore, answer_id: int, text: str) -> list[tuple[int, int]]:
    """Sentence/list-item spans of one answer, from the stored analysis when there is one."""
    data = store.get_analyses([answer_id], pipeline.PIPELINE_VERSION).get(answer_id)
    doc = None
    if data is not None:
        try:
            doc = pipeline.doc_from_bytes(data)
        except ValueError:
            doc = None
    if doc is None:
        doc = nlp()(text)
    return list(pipeline.segments(doc)) or [(0, len(text))]


@st.cache_data(show_spinner=False, max_entries=50)
def _closed_choices(path: str, version: int, question: str, round_label: Optional[str] = None):
    rounds = None if round_label is None else [round_label]
    return views.closed_question_choices(get_store(path), question, rounds=rounds)


def closed_choices(store: ProjectStore, question: str, round_label: Optional[str] = None):
    """A closed question's choices counted per level (regions, län RSS answers, kommuner's own answers)."""
    return _closed_choices(*_key(store), question, round_label)


@st.cache_data(show_spinner=False, max_entries=50)
def _project_coverage(path: str, version: int, decisions: tuple, rounds: tuple = ()):
    return coverage.project_coverage(get_store(path), decisions=decisions, doc=_codebook_doc(path, version),
                            round_label=list(rounds) if rounds else None)


def project_coverage(store: ProjectStore, decisions: tuple, rounds: tuple = ()):
    """Coverage of every code at the three levels (models.coverage), cached per project version;
    within the given rounds when any are named."""
    return _project_coverage(*_key(store), tuple(decisions), tuple(rounds))


@st.cache_data(show_spinner=False, max_entries=20)
def _pii(path: str, version: int) -> dict[int, str]:
    out = {}
    for answer in get_store(path).answers():
        spans = find_pii(answer.text)
        if spans:
            out[answer.id] = ", ".join(sorted({s.label for s in spans}))
    return out


def pii(store: ProjectStore) -> dict[int, str]:
    """answer id -> the kinds of personal data found in it ("e-post, telefon"); absent when none."""
    try:
        return _pii(*_key(store))
    except ImportError:
        return {}


def clear_all() -> None:
    """Forget every derived table (e.g. after opening another project file in place)."""
    st.cache_data.clear()


def describe(value: Any) -> str:
    return "" if value is None else str(value)

"""Read-only views of a project as pandas DataFrames and small dataclasses.

Pure functions from a `ProjectStore` to tables; used by the UI pages (Teman, Översikt,
Exportera), the exports in `export/` and the benchmark. Everything is one SQL query plus
vectorised pandas, so the pages stay fast on a national corpus.

Decision filter: by default only codings the analyst stands behind count, i.e.
`accepted` and `manual` (`DEFAULT_DECISIONS`); pass `decisions=ALL_DECISIONS`
or `decisions_for(include_suggestions=True)` to include machine suggestions.
"""
from __future__ import annotations

import functools
import json
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence, Union

import pandas as pd

from models import coverage as cv
from models.codes import (CategoryInfo, CodeInfo, categories, categories_from_doc, codebook_doc, default_codebook_doc,
                          sv_key, sv_sorted)
from models.records import DECISION_LABELS_SV
from reference import registry as reference_registry

DEFAULT_DECISIONS: tuple[str, ...] = ("accepted", "manual")
WITH_SUGGESTIONS: tuple[str, ...] = ("suggested", "accepted", "manual")
ALL_DECISIONS: tuple[str, ...] = ("suggested", "accepted", "rejected", "manual")

# Totals used when the registry is not available.
N_REGIONS = 21
N_KOMMUNER = 290

RESPONDENT_TYPE_LABELS_SV = {"region": "region", "kommun": "kommun", "rss": "RSS"}

# Columns of `excerpt_frame` in order, with the Swedish headers used by the exports.
EXCERPT_COLUMNS_SV: dict[str, str] = {
    "coding_id": "kodnings-id",
    "answer_id": "svars-id",
    "respondent": "respondent",
    "respondent_type": "respondenttyp",
    "lan": "län",
    "kommun_code": "kommunkod",
    "question_id": "fråga",
    "question_text": "frågetext",
    "category_id": "kategori-id",
    "category_label": "kategori",
    "code_id": "kod-id",
    "code_label": "kod",
    "excerpt": "utdrag",
    "start": "start",
    "end": "slut",
    "evidence_start": "belägg start",
    "evidence_end": "belägg slut",
    "evidence": "belägg",
    "status": "status",
    "scope": "omfattning",
    "negated": "negerad",
    "confidence": "konfidens",
    "decision": "beslut-id",
    "decision_sv": "beslut",
    "analyst": "analytiker",
    "decided_at": "tidpunkt",
    "memo": "memo",
    "round": "omgång",
}
EXCERPT_COLUMNS: tuple[str, ...] = tuple(EXCERPT_COLUMNS_SV) + ("respondent_id", "lan_code", "origin")


def code_frame(store=None, doc: Optional[dict] = None) -> pd.DataFrame:
    """One row per code: code_id, code_label, category_id, category_label, definition, order."""
    cats = categories_from_doc(doc) if doc is not None else categories(store)
    rows = [
        (c.id, c.label, c.category_id, c.category_label, c.definition, i)
        for i, c in enumerate(code for cat in cats for code in cat.codes)
    ]
    return pd.DataFrame(rows, columns=["code_id", "code_label", "category_id", "category_label", "definition",
                                       "order"])



def outside_labels(store, code_ids) -> dict[str, str]:
    """The names of codes outside the codebook: the label in the newest codebook version that had the code, else
    its id."""
    wanted = {str(c) for c in code_ids}
    if not wanted:
        return {}
    former = store.former_code_labels() if store is not None and hasattr(store, "former_code_labels") else {}
    return {c: former.get(c, c) for c in wanted}


def decisions_for(include_suggestions: bool = False) -> tuple[str, ...]:
    """The decisions an export or view counts: accepted + manual, plus suggestions if asked."""
    return WITH_SUGGESTIONS if include_suggestions else DEFAULT_DECISIONS


# ------------------------------------------------------------------ registry
@dataclass(frozen=True)
class Registry:
    """Regions and kommuner to count coverage against.

    `regions`: lan_code, name. `kommuner`: kommun_code, name, lan_code.
    `complete` is False when the registry lists no regions or no kommuner (totals then default to
    21/290 and the missing names are unknown).
    """

    regions: pd.DataFrame
    kommuner: pd.DataFrame
    complete: bool
    lan_codes: dict = field(default_factory=dict)  # län name -> län code

    @property
    def n_regions(self) -> int:
        return len(self.regions) if self.complete else N_REGIONS

    @property
    def n_kommuner(self) -> int:
        return len(self.kommuner) if self.complete else N_KOMMUNER


def _field(item: Any, *names: str) -> Optional[str]:
    for name in names:
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        if value not in (None, ""):
            return str(value)
    return None


@functools.lru_cache(maxsize=1)
def registry() -> Registry:
    """The national registry of regions and kommuner (reference.registry), adapted to frames."""
    empty_r = pd.DataFrame(columns=["lan_code", "name"])
    empty_k = pd.DataFrame(columns=["kommun_code", "name", "lan_code"])
    regions = [(_field(r, "lan_code", "code"), _field(r, "name")) for r in reference_registry.regions()]
    kommuner = [(_field(k, "kommun_code", "code"), _field(k, "name"), _field(k, "lan_code"))
                for k in reference_registry.kommuner()]
    if not regions or not kommuner:
        return Registry(empty_r, empty_k, False)
    kdf = pd.DataFrame(kommuner, columns=["kommun_code", "name", "lan_code"])
    kdf["lan_code"] = kdf["lan_code"].fillna(kdf["kommun_code"].str[:2])
    lan_codes = {_field(x, "name"): _field(x, "lan_code", "code") for x in reference_registry.lans()}
    return Registry(pd.DataFrame(regions, columns=["lan_code", "name"]), kdf, True, lan_codes)


# ------------------------------------------------------------------ excerpts
def _in_clause(column: str, values: Optional[Iterable[Any]], where: list[str], params: list[Any]) -> bool:
    """Add `column IN (...)`; returns False when values is an empty selection (no rows)."""
    if values is None:
        return True
    vals = list(values)
    if not vals:
        return False
    where.append(f"{column} IN ({','.join('?' * len(vals))})")
    params.extend(vals)
    return True


def excerpt_frame(store, *, decisions: Optional[Iterable[str]] = DEFAULT_DECISIONS,
                  code_ids: Optional[Iterable[str]] = None, category_ids: Optional[Iterable[str]] = None,
                  respondent_ids: Optional[Iterable[int]] = None, questions: Optional[Iterable[str]] = None,
                  answer_ids: Optional[Iterable[int]] = None, lans: Optional[Iterable[str]] = None,
                  respondent_types: Optional[Iterable[str]] = None, statuses: Optional[Iterable[str]] = None,
                  scopes: Optional[Iterable[str]] = None, with_answer_text: bool = False,
                  doc: Optional[dict] = None, rounds: Optional[Iterable[str]] = None) -> pd.DataFrame:
    """One row per coding with everything an analyst needs to read or export it.

    Columns: see `EXCERPT_COLUMNS` (coding_id, answer_id, respondent, respondent_type, lan,
    kommun_code, question_id, question_text, category_id/label, code_id/label, excerpt,
    start, end, evidence_start, evidence_end, evidence, status, scope, negated, confidence,
    decision, decision_sv, analyst, decided_at, memo, round, respondent_id, lan_code, origin), plus
    `answer_text` when `with_answer_text`. Offsets are code points into the answer text.
    `decisions=None` means every decision; each other filter `None` means no filter.
    Codes not in the codebook keep the label of the newest codebook version that had them (else their id) and
    category "(utanför kodboken)".
    """
    codes = code_frame(store, doc)
    if category_ids is not None:
        wanted = set(category_ids)
        cat_codes = set(codes.loc[codes["category_id"].isin(wanted), "code_id"])
        code_ids = cat_codes if code_ids is None else cat_codes & set(code_ids)
    # 1. answers in scope (small: one row per answer), with their text for slicing
    a_where: list[str] = []
    a_params: list[Any] = []
    c_where: list[str] = []
    c_params: list[Any] = []
    ok = all([
        _in_clause("a.respondent_id", respondent_ids, a_where, a_params),
        _in_clause("a.question_id", questions, a_where, a_params),
        _in_clause("a.id", answer_ids, a_where, a_params),
        _in_clause("r.lan", lans, a_where, a_params),
        _in_clause("r.type", respondent_types, a_where, a_params),
        _in_clause("a.round_label", rounds, a_where, a_params),
        # unary + on decision: a scan beats the index when most codings match
        _in_clause("+c.decision", decisions, c_where, c_params),
        _in_clause("c.code_id", code_ids, c_where, c_params),
        _in_clause("c.answer_id", answer_ids, c_where, c_params),
        _in_clause("c.status", statuses, c_where, c_params),
        _in_clause("c.scope", scopes, c_where, c_params),
    ])
    if not ok:
        a_where, a_params, c_where, c_params = ["0"], [], ["0"], []
    with store.read() as con:
        cur = con.cursor()
        cur.row_factory = None
        c_sql = ('SELECT c.id, c.answer_id, c.code_id, c.start, c."end", c.evidence_start, c.evidence_end, '
                 "c.status, c.scope, c.negated, c.confidence, c.decision, c.analyst, c.decided_at, c.origin "
                 "FROM codings c" + (" WHERE " + " AND ".join(c_where) if c_where else ""))
        coding_rows = cur.execute(c_sql, c_params).fetchall()
        a_sql = ("SELECT a.id, a.respondent_id, a.question_id, a.text, a.round_label FROM answers a "
                 + ("JOIN respondents r ON r.id = a.respondent_id " if any(w.startswith("r.") for w in a_where) else ""))
        needed = sorted({r[1] for r in coding_rows})
        answer_rows: dict[int, tuple] = {}
        if len(needed) <= 4000:  # read only the answers the codings point to
            for i in range(0, len(needed), 900):
                part = needed[i:i + 900]
                where = a_where + [f"a.id IN ({','.join('?' * len(part))})"]
                answer_rows.update((r[0], r) for r in cur.execute(a_sql + "WHERE " + " AND ".join(where),
                                                                   a_params + part).fetchall())
        else:
            answer_rows = {r[0]: r for r in cur.execute(
                a_sql + ("WHERE " + " AND ".join(a_where) if a_where else ""), a_params).fetchall()}
        memos = dict(cur.execute("SELECT target_id, text FROM memos WHERE target_type = 'coding'").fetchall())
    coding_rows = [r for r in coding_rows if r[1] in answer_rows]
    texts = [answer_rows[r[1]][3] for r in coding_rows]
    df = pd.DataFrame.from_records(coding_rows, columns=[
        "coding_id", "answer_id", "code_id", "start", "end", "evidence_start", "evidence_end", "status", "scope",
        "negated", "confidence", "decision", "analyst", "decided_at", "origin"])
    df["respondent_id"] = [answer_rows[r[1]][1] for r in coding_rows]
    df["question_id"] = [answer_rows[r[1]][2] for r in coding_rows]
    df["round"] = pd.Series([answer_rows[r[1]][4] for r in coding_rows], dtype=object)
    df["excerpt"] = [t[r[3]:r[4]] for t, r in zip(texts, coding_rows)]
    df["evidence"] = [t[r[5]:r[6]] for t, r in zip(texts, coding_rows)]
    df["memo"] = [memos.get(str(r[0]), "") for r in coding_rows]
    if with_answer_text:
        df["answer_text"] = texts
    resp = query_frame(store, "SELECT id AS respondent_id, name AS respondent, type AS respondent_type, lan, "
                              "kommun_code, lan_code FROM respondents")
    qs = query_frame(store, "SELECT id AS question_id, text AS question_text FROM questions")
    # Empty frames come back with float/object keys: give both sides the same key types.
    df["respondent_id"] = df["respondent_id"].astype("int64")
    resp["respondent_id"] = resp["respondent_id"].astype("int64")
    df["question_id"] = df["question_id"].astype(object)
    qs["question_id"] = qs["question_id"].astype(object)
    df = df.merge(resp, on="respondent_id", how="left").merge(qs, on="question_id", how="left")
    df["question_text"] = df["question_text"].fillna("")
    if len(df):  # each answer's question as asked in its round (a 2021 answer: the 2021 form's wording)
        from models.question_texts import round_wordings, wording

        current = dict(zip(qs["question_id"].astype(str), qs["question_text"].fillna("").astype(str)))
        rounds = df["round"].fillna("").astype(str)
        wordings = round_wordings(current, rounds.unique())
        df["question_text"] = [wording(wordings, current, r, q) or t
                               for r, q, t in zip(rounds, df["question_id"].astype(str), df["question_text"])]
    df = df.merge(codes[["code_id", "code_label", "category_id", "category_label"]], on="code_id", how="left")
    missing = df["code_label"].isna()
    if missing.any():
        names = outside_labels(store, df.loc[missing, "code_id"].unique())
        df.loc[missing, "code_label"] = df.loc[missing, "code_id"].map(names)
        df.loc[missing, "category_id"] = ""
        df.loc[missing, "category_label"] = "(utanför kodboken)"
    df["negated"] = df["negated"].astype(bool)
    text_cols = ["respondent_type", "lan", "kommun_code", "lan_code", "analyst", "decided_at", "memo", "status",
                 "scope", "origin"]
    df[text_cols] = df[text_cols].astype(object).where(df[text_cols].notna(), "")
    df["decision_sv"] = df["decision"].map(DECISION_LABELS_SV).fillna(df["decision"])
    if not (df["question_text"] != "").all():
        qtexts = (doc or codebook_doc(store)).get("questions") or {}
        empty = df["question_text"] == ""
        qmap = {str(k): str(v) for k, v in qtexts.items()}
        df.loc[empty, "question_text"] = df.loc[empty, "question_id"].astype(str).map(qmap).fillna("")
    cols = list(EXCERPT_COLUMNS) + (["answer_text"] if with_answer_text else [])
    df = df.sort_values(["respondent", "answer_id", "start", "code_id"], kind="stable")
    return df[cols].reset_index(drop=True)


def query_frame(store, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    """Run a read query and return a DataFrame (plain tuples, faster than pandas' reader)."""
    with store.read() as con:
        cur = con.cursor()
        cur.row_factory = None
        cur.execute(sql, list(params))
        columns = [d[0] for d in cur.description]
        rows = cur.fetchall()
    return pd.DataFrame.from_records(rows, columns=columns)


# ------------------------------------------------------------------ coverage pairs
def _empty_pairs() -> pd.DataFrame:
    return pd.DataFrame({"code_id": pd.Series(dtype=object), "respondent_id": pd.Series(dtype="int64"),
                         "n": pd.Series(dtype="int64")})


# (store key, data_version, decisions) -> (code_id, respondent_id, negated, n) frame; views are pure
# reads, so one scan of the codings serves every page element until the next committed write.
_PAIR_CACHE: "OrderedDict[tuple, pd.DataFrame]" = OrderedDict()
_PAIR_CACHE_SIZE = 8


def _store_key(store) -> str:
    path = str(getattr(store, "path", "") or "")
    if path in ("", ":memory:"):
        return f"mem:{id(store)}"
    try:
        return str(Path(path).resolve())
    except OSError:  # pragma: no cover - unusual paths: key on the object
        return f"obj:{id(store)}:{path}"


def _pair_key(store, decisions: Optional[Iterable[str]]) -> tuple:
    return (_store_key(store), store.data_version, None if decisions is None else tuple(sorted(set(decisions))))


def _scan_pairs(store, dkey: Optional[tuple], code_ids: Optional[list]) -> pd.DataFrame:
    """Codings counted per (code_id, respondent_id, negated): one plain scan of the codings."""
    where: list[str] = []
    params: list[Any] = []
    # unary + keeps SQLite from using the decision index (a scan is cheaper when most rows match)
    _in_clause("+decision", dkey, where, params)
    _in_clause("code_id", code_ids, where, params)
    with store.read() as con:
        cur = con.cursor()
        cur.row_factory = None
        rows = cur.execute("SELECT code_id, answer_id, negated FROM codings"
                           + (" WHERE " + " AND ".join(where) if where else ""), params).fetchall()
        respondent_of = dict(cur.execute("SELECT id, respondent_id FROM answers").fetchall())
    counts = Counter((code, respondent_of[answer], bool(neg)) for code, answer, neg in rows
                     if answer in respondent_of)
    keys = list(counts)
    return pd.DataFrame({"code_id": pd.Series([k[0] for k in keys], dtype=object),
                         "respondent_id": pd.Series([k[1] for k in keys], dtype="int64"),
                         "negated": pd.Series([k[2] for k in keys], dtype=bool),
                         "n": pd.Series(list(counts.values()), dtype="int64")})


def _pair_base(store, decisions: Optional[Iterable[str]]) -> pd.DataFrame:
    """All codes' pairs for a decision filter, cached per (project, data_version, decisions)."""
    key = _pair_key(store, decisions)
    got = _PAIR_CACHE.get(key)
    if got is not None:
        _PAIR_CACHE.move_to_end(key)
        return got
    base = _scan_pairs(store, key[2], None)
    _PAIR_CACHE[key] = base
    while len(_PAIR_CACHE) > _PAIR_CACHE_SIZE:
        _PAIR_CACHE.popitem(last=False)
    return base


def pair_counts(store, decisions: Optional[Iterable[str]] = DEFAULT_DECISIONS,
                code_ids: Optional[Iterable[str]] = None, include_negated: bool = True) -> pd.DataFrame:
    """Number of codings per (code_id, respondent_id): the base of coverage and the matrices.

    Fetches (code, answer) pairs with a plain scan and joins answers → respondents through a
    small dict: much cheaper than an SQL join that reads answer pages holding the long texts.
    The scan is shared by all calls on the same project state (cached on `data_version`).
    """
    if decisions is not None:
        decisions = tuple(decisions)
        if not decisions:
            return _empty_pairs()
    if code_ids is not None:
        code_ids = list(code_ids)
        if not code_ids:
            return _empty_pairs()
    key = _pair_key(store, decisions)
    if code_ids is not None and key not in _PAIR_CACHE:
        base = _scan_pairs(store, key[2], code_ids)  # a few codes (Teman): filtered scan, not cached
    else:
        base = _pair_base(store, decisions)
    mask = None
    if code_ids is not None:
        mask = base["code_id"].isin(code_ids)
    if not include_negated:
        mask = ~base["negated"] if mask is None else mask & ~base["negated"]
    sub = base if mask is None else base[mask]
    if not len(sub):
        return _empty_pairs()
    if sub["negated"].any() and not sub["negated"].all():
        # with and without negation for the same pair: add up (first-seen order kept)
        out = sub.groupby(["code_id", "respondent_id"], sort=False, as_index=False)["n"].sum()
    else:
        out = sub[["code_id", "respondent_id", "n"]]
    return out.reset_index(drop=True).copy()


def _respondent_frame(store) -> pd.DataFrame:
    return query_frame(store, "SELECT id AS respondent_id, name, type, lan, lan_code, kommun_code FROM respondents")


def _mentions(store, decisions: Optional[Iterable[str]], code_ids: Optional[Iterable[str]] = None,
              include_negated: bool = False) -> pd.DataFrame:
    """(code_id, respondent) pairs with their number of counted codings and the respondent's identity."""
    pairs = pair_counts(store, decisions, code_ids, include_negated)
    respondents = _respondent_frame(store)
    pairs["respondent_id"] = pairs["respondent_id"].astype("int64")
    respondents["respondent_id"] = respondents["respondent_id"].astype("int64")
    return pairs.merge(respondents, on="respondent_id", how="left")


def _places(reg: Optional[Registry]):
    """The coverage model's places for a views Registry (None or incomplete: the national registry)."""
    if reg is None or not reg.complete:
        return cv.default_places()
    names = {code: name for name, code in (reg.lan_codes or {}).items() if code}
    return cv.places_from_frames(reg.regions, reg.kommuner, names)


def coverage(store, code_id: str, *, decisions: Optional[Iterable[str]] = DEFAULT_DECISIONS,
             reg: Optional[Registry] = None, include_negated: bool = False,
             round_label: Union[str, Sequence[str], None] = None):
    """Coverage of one code at the three levels (`models.coverage.CodeCoverage`).

    See `models.coverage`: regions, län with kommun answers (20; Gotland ej relevant) and
    kommuner that answered on their own, each counted among those who answered. `decisions`
    None means accepted, manual and suggested (never rejected ones).
    """
    dec = tuple(decisions) if decisions is not None else cv.WITH_SUGGESTIONS
    pc = cv.project_coverage(store, decisions=dec, code_ids=[code_id], places=_places(reg),
                             include_negated=include_negated, round_label=round_label)
    return pc.codes[code_id]


COVERAGE_COLUMNS: tuple[str, ...] = (
    "category_id", "category_label", "code_id", "code_label",
    "n_regions", "n_regions_answered", "n_regions_total", "regions", "regions_not_mentioning",
    "regions_not_answered", "regions_split",
    "n_lan", "n_lan_answered", "n_lan_total", "lan", "lan_not_mentioning", "lan_not_answered", "lan_split",
    "n_kommuner", "n_kommuner_answered", "n_kommuner_total", "kommuner", "kommuner_not_mentioning",
    "kommuner_not_answered", "kommuner_by_region", "kommuner_split", "kommuner_named",
    "n_respondents", "n_excerpts", "sentence", "coverage",
)


def coverage_table(store, *, decisions: Optional[Iterable[str]] = DEFAULT_DECISIONS,
                   reg: Optional[Registry] = None, doc: Optional[dict] = None,
                   include_negated: bool = False, round_label: Union[str, Sequence[str], None] = None) -> pd.DataFrame:
    """Coverage of every codebook code at the three levels, in codebook order (`COVERAGE_COLUMNS`).

    Per level `<level>` in regions, lan, kommuner: n_<level> (mentioning), n_<level>_answered,
    n_<level>_total, names mentioning (joined by ", "), <level>_not_mentioning (answered but do
    not mention), <level>_not_answered, <level>_split ("12 breddinförda, 5 projekt");
    kommuner_by_region names a kommun answered for by its region (Gotlands kommun once Region
    Gotland answered: neither counted nor under not_answered); kommuner_named lists kommuner named
    in an RSS excerpt (not counted). `coverage` holds the `CodeCoverage`. Codes found in codings but not in the codebook come last.
    """
    dec = tuple(decisions) if decisions is not None else cv.WITH_SUGGESTIONS
    pc = cv.project_coverage(store, decisions=dec, doc=doc, places=_places(reg), include_negated=include_negated,
                             round_label=round_label)
    rows = []
    for c in pc.codes.values():
        row: dict[str, Any] = {"category_id": c.category_id, "category_label": c.category_label,
                               "code_id": c.code_id, "code_label": c.code_label}
        for lvl in cv.LEVELS:
            lc = c.level(lvl)
            row.update({f"n_{lvl}": lc.n, f"n_{lvl}_answered": lc.n_answered, f"n_{lvl}_total": lc.total,
                        lvl: ", ".join(lc.mentioned), f"{lvl}_not_mentioning": ", ".join(lc.not_mentioning),
                        f"{lvl}_not_answered": ", ".join(lc.not_answered), f"{lvl}_split": lc.split_text})
        row.update({"kommuner_by_region": cv.by_region_sv(c.level("kommuner").by_region),
                    "kommuner_named": ", ".join(k for k, _ in c.named_kommuner),
                    "n_respondents": len(c.respondents), "n_excerpts": c.n_excerpts, "sentence": c.sentence,
                    "coverage": c})
        rows.append(row)
    return pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS))


# ------------------------------------------------------------------ matrix & tallies
def matrix(store, *, decisions: Optional[Iterable[str]] = DEFAULT_DECISIONS, by: str = "respondent",
           labels: bool = False, doc: Optional[dict] = None) -> pd.DataFrame:
    """Counts of counted codings: rows respondents (or `by="lan"` / `"respondent_type"`), columns codes.

    Columns are code ids in codebook order (code labels when `labels=True`); only codes and
    respondents with at least one coding appear. Index name is `by`.
    """
    column = {"respondent": "name", "lan": "lan", "respondent_type": "type"}[by]
    long = _mentions(store, decisions, include_negated=True)
    long["row_key"] = long[column].fillna("") if len(long) else long.get(column)
    wide = long.pivot_table(index="row_key", columns="code_id", values="n", aggfunc="sum", fill_value=0)
    codes = code_frame(store, doc)
    order = [c for c in codes["code_id"] if c in wide.columns] + sorted(set(wide.columns) - set(codes["code_id"]))
    wide = wide.reindex(columns=order).astype(int)
    wide = wide.loc[sorted(wide.index, key=sv_key)] if len(wide) else wide
    if labels:
        names = dict(zip(codes["code_id"], codes["code_label"]))
        names.update(outside_labels(store, set(wide.columns) - set(names)))
        wide.columns = [names.get(c, c) for c in wide.columns]
    wide.index.name = by
    wide.columns.name = None
    return wide


def matrix_long(store, *, decisions: Optional[Iterable[str]] = DEFAULT_DECISIONS,
                doc: Optional[dict] = None) -> pd.DataFrame:
    """The respondent × code matrix in long form for Altair heatmaps.

    Columns: respondent, respondent_type, lan, code_id, code_label, category_label, n.
    """
    long = _mentions(store, decisions, include_negated=True).rename(
        columns={"name": "respondent", "type": "respondent_type"})
    long = long[["respondent", "respondent_type", "lan", "code_id", "n"]]
    codes = code_frame(store, doc)
    long = long.merge(codes[["code_id", "code_label", "category_label"]], on="code_id", how="left")
    long["code_label"] = long["code_label"].fillna(
        long["code_id"].map(outside_labels(store, long.loc[long["code_label"].isna(), "code_id"].unique())))
    long["category_label"] = long["category_label"].fillna("(utanför kodboken)")
    return long


def closed_question_tally(store, question_id: str, *, by: str = "lan",
                          respondent_types: Optional[Iterable[str]] = None,
                          rounds: Optional[Iterable[str]] = None) -> pd.DataFrame:
    """Choices of a closed question counted per län (or `by="respondent_type"`/`"respondent"`).

    Rows: län (sorted), columns: the question's options in form order (then any other
    choices seen, then "(inget val)" for answers without a choice), plus "Totalt".
    `rounds` counts only answers of those rounds (None: all).
    """
    column = {"lan": "COALESCE(r.lan, '(okänt län)')", "respondent_type": "r.type", "respondent": "r.name"}[by]
    where, params = ["a.question_id = ?"], [question_id]
    if not (_in_clause("r.type", respondent_types, where, params)
            and _in_clause("a.round_label", rounds, where, params)):
        where, params = ["0"], []
    sql = (f"SELECT {column} AS row_key, COALESCE(NULLIF(TRIM(a.choice), ''), '(inget val)') AS choice, "
           "COUNT(*) AS n FROM answers a JOIN respondents r ON r.id = a.respondent_id WHERE "
           + " AND ".join(where) + " GROUP BY row_key, choice")
    long = query_frame(store, sql, params)
    with store.read() as con:
        row = con.execute("SELECT options FROM questions WHERE id = ?", (question_id,)).fetchone()
    options = [str(o) for o in json.loads(row[0])] if row else []
    wide = long.pivot_table(index="row_key", columns="choice", values="n", aggfunc="sum", fill_value=0)
    seen = list(wide.columns)
    order = [o for o in options] + sorted(c for c in seen if c not in options and c != "(inget val)")
    if "(inget val)" in seen:
        order.append("(inget val)")
    wide = wide.reindex(columns=order, fill_value=0).astype(int)
    wide = wide.loc[sorted(wide.index, key=sv_key)] if len(wide) else wide
    wide["Totalt"] = wide.sum(axis=1)
    wide.index.name = by
    wide.columns.name = None
    return wide


def closed_question_choices(store, question_id: str, *, rounds: Optional[Iterable[str]] = None,
                            reg: Optional[Registry] = None) -> "cv.ClosedChoices":
    """Choices of a closed question counted on each respondent's own level (`models.coverage.closed_choices`):
    regions, län RSS answers (for the län's kommuner together) and kommuner's own answers apart. Answers with
    neither text nor a choice are not counted; `rounds` counts only answers of those rounds (None: all)."""
    where, params = ["a.question_id = ?", "(TRIM(COALESCE(a.text, '')) <> '' OR TRIM(COALESCE(a.choice, '')) <> '')"], \
        [question_id]
    if not _in_clause("a.round_label", rounds, where, params):
        where, params = ["0"], []
    with store.read() as con:
        rows = con.execute(
            "SELECT r.name, r.type, r.lan, r.lan_code, r.kommun_code, a.choice FROM answers a "
            "JOIN respondents r ON r.id = a.respondent_id WHERE " + " AND ".join(where), params).fetchall()
        row = con.execute("SELECT options FROM questions WHERE id = ?", (question_id,)).fetchone()
    options = [str(o) for o in json.loads(row[0])] if row else []
    return cv.closed_choices([tuple(r) for r in rows], _places(reg), options)


# ------------------------------------------------------------------ quotes
def representative_quotes(excerpts: pd.DataFrame, code_id: str, n: int = 3) -> pd.DataFrame:
    """Up to n excerpts of a code for a report: different respondents first, manual/accepted
    before suggestions, then higher confidence, preferring excerpts of 40-400 characters."""
    df = excerpts[excerpts["code_id"] == code_id]
    if df.empty:
        return df
    rank = df.assign(
        _dec=df["decision"].map({"manual": 0, "accepted": 0, "suggested": 1}).fillna(2),
        _len=(~df["excerpt"].str.len().between(40, 400)).astype(int),
        _neg=df["negated"].astype(int),
    ).sort_values(["_neg", "_dec", "_len", "confidence", "coding_id"], ascending=[True, True, True, False, True])
    first = rank.drop_duplicates("respondent")
    picked = pd.concat([first, rank.drop(first.index)]).head(n)
    return picked.drop(columns=["_dec", "_len", "_neg"])


def evidence_parts(excerpt: str, start: int, evidence_start: int, evidence_end: int) -> tuple[str, str, str]:
    """Split an excerpt into (before, evidence, after) for highlighting (offsets are answer offsets).

    The UI renders the three parts as plain text (e.g. the middle one bold via a safe
    component); an evidence span outside the excerpt is clipped to it.
    """
    a = max(0, min(len(excerpt), int(evidence_start) - int(start)))
    b = max(a, min(len(excerpt), int(evidence_end) - int(start)))
    return excerpt[:a], excerpt[a:b], excerpt[b:]


# ------------------------------------------------------------------ helpers
def _code_labels(store) -> dict[str, str]:
    codes = code_frame(store)
    return dict(zip(codes["code_id"], codes["code_label"]))

"""Read views of a project by collection round: the rounds, per-round codings, change and trends.

SQL lives here (the store layer); the comparison itself is `models.change` (pure) and the
labels and question mappings are `models.rounds` (pure). Decision filter as in
`models.views`: by default accepted and manual codings count (`views.decisions_for`).
Negated codings ("vi har inga mobila team") never make a code present.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional

import pandas as pd

from models import change, coverage as cv, views
from models.rounds import normalise_label, sort_rounds


@dataclass(frozen=True)
class RoundInfo:
    """A round of the project: its label and how many answers, respondents and files it holds."""

    label: str
    n_answers: int
    n_respondents: int
    n_files: int


def rounds(store) -> list[RoundInfo]:
    """The project's rounds in chronological order ('' = answers imported without a round)."""
    with store.read() as con:
        rows = con.execute(
            "SELECT round_label, COUNT(*), COUNT(DISTINCT respondent_id), COUNT(DISTINCT source_file_id) "
            "FROM answers GROUP BY round_label").fetchall()
    by_label = {r[0]: RoundInfo(r[0], int(r[1]), int(r[2]), int(r[3])) for r in rows}
    return [by_label[x] for x in sort_rounds(by_label)]


def round_labels(store) -> list[str]:
    """The labels of the project's named rounds, chronological (without '')."""
    return [r.label for r in rounds(store) if r.label]


def file_rounds(store) -> pd.DataFrame:
    """One row per imported file: file_id, file, format, round (rounds joined by ", " when the same
    file is in several), answers, imported_at."""
    df = views.query_frame(
        store,
        "SELECT s.id AS file_id, s.name AS file, s.format, GROUP_CONCAT(DISTINCT a.round_label) AS round, "
        "COUNT(a.id) AS answers, s.imported_at FROM source_files s LEFT JOIN answers a ON a.source_file_id = s.id "
        "GROUP BY s.id ORDER BY s.id")
    df["round"] = [", ".join(sort_rounds((r or "").split(","))) for r in df["round"]]
    return df


def round_codings(store, label: str, *, decisions: Optional[Iterable[str]] = views.DEFAULT_DECISIONS,
                  code_ids: Optional[Iterable[str]] = None, questions: Optional[Iterable[str]] = None,
                  include_negated: bool = False) -> list[tuple[int, str, str, str]]:
    """(respondent_id, code_id, status, scope) of the counted (not negated) codings in one round's answers."""
    where = ["a.round_label = ?"] + ([] if include_negated else ["c.negated = 0"])
    params: list[Any] = [normalise_label(label)]
    ok = (views._in_clause("+c.decision", decisions, where, params)
          and views._in_clause("c.code_id", code_ids, where, params)
          and views._in_clause("a.question_id", questions, where, params))
    if not ok:
        return []
    with store.read() as con:
        cur = con.cursor()
        cur.row_factory = None
        return cur.execute(
            "SELECT a.respondent_id, c.code_id, c.status, c.scope FROM codings c "
            "JOIN answers a ON a.id = c.answer_id WHERE " + " AND ".join(where), params).fetchall()


def _respondents(store) -> dict[int, tuple[str, Optional[str], Optional[str]]]:
    with store.read() as con:
        return {int(r[0]): (r[1], r[2], r[3]) for r in con.execute("SELECT id, name, type, lan FROM respondents")}


def compare_rounds(store, from_round: str, to_round: str, *,
                   decisions: Optional[Iterable[str]] = views.DEFAULT_DECISIONS,
                   code_ids: Optional[Iterable[str]] = None,
                   questions_from: Optional[Iterable[str]] = None,
                   questions_to: Optional[Iterable[str]] = None) -> list[change.ChangeRow]:
    """Every (respondent, code) counted in either round, with its state in each and the change.

    `questions_from`/`questions_to` narrow each round to some questions (e.g. "the same
    question" across forms through a `models.rounds.QuestionMapping`).
    """
    decisions = tuple(decisions) if decisions is not None else None
    code_ids = list(code_ids) if code_ids is not None else None
    before = round_codings(store, from_round, decisions=decisions, code_ids=code_ids, questions=questions_from)
    after = round_codings(store, to_round, decisions=decisions, code_ids=code_ids, questions=questions_to)
    return change.compare(before, after, _respondents(store))


def change_frame(rows: list[change.ChangeRow], codes: Optional[pd.DataFrame] = None) -> pd.DataFrame:
    """Change rows as a table: respondent_id, respondent, respondent_type, lan, code_id, code_label,
    from_present, from_status, from_scope, to_present, to_status, to_scope, change, change_sv."""
    labels = dict(zip(codes["code_id"], codes["code_label"])) if codes is not None and len(codes) else {}
    data = [{
        "respondent_id": r.respondent_id, "respondent": r.respondent, "respondent_type": r.respondent_type or "",
        "lan": r.lan or "", "code_id": r.code, "code_label": labels.get(r.code, r.code),
        "from_present": r.before.present, "from_status": r.before.status or "", "from_scope": r.before.scope or "",
        "to_present": r.after.present, "to_status": r.after.status or "", "to_scope": r.after.scope or "",
        "change": r.change, "change_sv": change.CHANGE_LABELS_SV[r.change],
    } for r in rows]
    columns = ["respondent_id", "respondent", "respondent_type", "lan", "code_id", "code_label", "from_present",
               "from_status", "from_scope", "to_present", "to_status", "to_scope", "change", "change_sv"]
    return pd.DataFrame(data, columns=columns)


def respondents_in_round(store, label: str) -> set[int]:
    """Ids of the respondents with at least one answer in the round."""
    with store.read() as con:
        return {int(r[0]) for r in con.execute(
            "SELECT DISTINCT respondent_id FROM answers WHERE round_label = ?", (normalise_label(label),))}


def coverage_by_round(store, labels: Optional[Iterable[str]] = None, *,
                      decisions: Optional[Iterable[str]] = views.DEFAULT_DECISIONS,
                      code_ids: Optional[Iterable[str]] = None, reg: Optional[views.Registry] = None) -> pd.DataFrame:
    """Coverage per round and code (`models.coverage`, counted within each round's answers).

    Columns: round, code_id, code_label, n_regions, n_regions_answered, n_regions_total, n_lan,
    n_lan_answered, n_kommuner, n_kommuner_answered, n_kommuner_total, n_respondents, n_excerpts;
    rounds chronological, codes in codebook order.
    """
    labels = list(labels) if labels is not None else round_labels(store)
    order = list(views.code_frame(store)["code_id"])
    wanted = list(code_ids) if code_ids is not None else order
    places = views._places(reg)
    dec = tuple(decisions) if decisions is not None else views.DEFAULT_DECISIONS
    out = []
    for label in sort_rounds(labels):
        pc = cv.project_coverage(store, decisions=dec, round_label=label, code_ids=wanted, places=places)
        for code in wanted:
            c = pc.codes.get(code)
            if c is None:
                continue
            out.append({"round": label, "code_id": code, "code_label": c.code_label,
                        "n_regions": c.regions.n, "n_regions_answered": c.regions.n_answered,
                        "n_regions_total": c.regions.total, "n_lan": c.lan.n, "n_lan_answered": c.lan.n_answered,
                        "n_kommuner": c.kommuner.n, "n_kommuner_answered": c.kommuner.n_answered,
                        "n_kommuner_total": c.kommuner.total, "n_respondents": len(c.respondents),
                        "n_excerpts": c.n_excerpts})
    return pd.DataFrame(out, columns=["round", "code_id", "code_label", "n_regions", "n_regions_answered",
                                      "n_regions_total", "n_lan", "n_lan_answered", "n_kommuner",
                                      "n_kommuner_answered", "n_kommuner_total", "n_respondents", "n_excerpts"])


def coverage_in_rounds(store, code_id: str, labels: Iterable[str], *,
                       decisions: Optional[Iterable[str]] = views.DEFAULT_DECISIONS,
                       reg: Optional[views.Registry] = None):
    """`models.coverage.CodeCoverage` of one code counted only in the answers of the given rounds."""
    dec = tuple(decisions) if decisions is not None else views.DEFAULT_DECISIONS
    pc = cv.project_coverage(store, decisions=dec, round_label=[normalise_label(x) for x in labels],
                             code_ids=[code_id], places=views._places(reg))
    return pc.codes[code_id]


def change_table(store, from_round: str, to_round: str, *,
                 decisions: Optional[Iterable[str]] = views.DEFAULT_DECISIONS,
                 code_ids: Optional[Iterable[str]] = None,
                 questions_from: Optional[Iterable[str]] = None,
                 questions_to: Optional[Iterable[str]] = None,
                 doc: Optional[dict] = None) -> pd.DataFrame:
    """`change_frame` of `compare_rounds` plus, per row, the counted excerpts of each round
    (`from_excerpts`, `to_excerpts`: lists of excerpt texts) and whether the respondent answered
    at all in each round (`answered_from`, `answered_to`)."""
    decisions = tuple(decisions) if decisions is not None else None
    code_ids = list(code_ids) if code_ids is not None else None
    rows = compare_rounds(store, from_round, to_round, decisions=decisions, code_ids=code_ids,
                          questions_from=questions_from, questions_to=questions_to)
    df = change_frame(rows, views.code_frame(store, doc))
    for side, label, questions in (("from", from_round, questions_from), ("to", to_round, questions_to)):
        ex = views.excerpt_frame(store, decisions=decisions, code_ids=code_ids, rounds=[normalise_label(label)],
                                 questions=list(questions) if questions is not None else None, doc=doc)
        ex = ex[~ex["negated"]]
        texts = ex.groupby(["respondent_id", "code_id"])["excerpt"].apply(list).to_dict()
        df[f"{side}_excerpts"] = [texts.get((int(r), c), []) for r, c in zip(df["respondent_id"], df["code_id"])]
        answered = respondents_in_round(store, label)
        df[f"answered_{side}"] = [int(r) in answered for r in df["respondent_id"]]
    return df


def matrix_long_in_round(store, label: str, *, decisions: Optional[Iterable[str]] = views.DEFAULT_DECISIONS,
                         doc: Optional[dict] = None) -> pd.DataFrame:
    """`views.matrix_long` (respondent, respondent_type, lan, code_id, code_label, category_label, n)
    of one round's answers (negated codings included, as in the overall matrix)."""
    rows = round_codings(store, label, decisions=decisions, include_negated=True)
    pairs = pd.DataFrame(rows, columns=["respondent_id", "code_id", "status", "scope"])
    long = pairs.groupby(["code_id", "respondent_id"], as_index=False).size().rename(columns={"size": "n"})
    people = views.query_frame(store, "SELECT id AS respondent_id, name AS respondent, type AS respondent_type, "
                                      "lan FROM respondents")
    long = long.merge(people, on="respondent_id", how="left") if len(long) else \
        pd.DataFrame(columns=["code_id", "respondent_id", "n", "respondent", "respondent_type", "lan"])
    codes = views.code_frame(store, doc)
    long = long.merge(codes[["code_id", "code_label", "category_label"]], on="code_id", how="left")
    long["code_label"] = long["code_label"].fillna(
        long["code_id"].map(views.outside_labels(store, long.loc[long["code_label"].isna(), "code_id"].unique())))
    long["category_label"] = long["category_label"].fillna("(utanför kodboken)")
    return long[["respondent", "respondent_type", "lan", "code_id", "code_label", "category_label", "n"]]


def untagged_answers(store, labels: Iterable[str]) -> int:
    """How many answers of the rounds have never been analysed and tagged (no stored analysis)."""
    wanted = [normalise_label(x) for x in labels]
    with store.read() as con:
        return int(con.execute(
            f"SELECT COUNT(*) FROM answers a WHERE a.round_label IN ({','.join('?' * len(wanted))}) "
            "AND NOT EXISTS (SELECT 1 FROM analyses y WHERE y.answer_id = a.id)", wanted).fetchone()[0])

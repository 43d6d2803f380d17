"""Clustering runs over a project's excerpts and the analyst's review of them, stored in the project.

Units are the excerpts of the answers (sentences and list items from ``nlp.pipeline``), optionally
restricted to some questions, to a questionnaire area, or to the excerpts coded with one code (to
find sub-types). Tables: ``cluster_runs``, ``clusters``, ``cluster_members`` (models/schema.py).

Review operations — :func:`rename`, :func:`merge`, :func:`split`, :func:`move_excerpt`,
:func:`exclude_excerpt`, :func:`map_to_code`, :func:`create_code` — each write an ``audit_log``
row in the same transaction as the change. :func:`run_clustering` keeps the analyst's names,
codes and excerpt decisions where a new cluster still matches an old one (Jaccard overlap of
members >= ``MATCH_JACCARD``) and returns a summary of what changed.
"""
from __future__ import annotations

import copy
import json
import re
import sqlite3
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional, Sequence

from models import audit
from models.store import StoreError, append_audit, now_iso
from nlp import pipeline
from nlp.clustering import GENERIC_TERMS, ExcerptClusterer, describe
from nlp.codebook import Codebook, CodebookError, default_codebook
from nlp.pipeline import content_lemmas, original_span, segment_spans

__all__ = [
    "MATCH_JACCARD", "MIN_CONTENT_WORDS", "Excerpt", "ClusterView", "RunSummary", "project_excerpts",
    "run_clustering", "runs", "latest_run", "clusters", "cluster", "rename", "merge", "split", "move_excerpt",
    "move_excerpts", "exclude_excerpt", "exclude_excerpts", "map_to_code", "create_code", "last_undoable",
    "undo_last", "KeywordProposal", "proposed_keywords",
]

MATCH_JACCARD = 0.5
# Excerpts with fewer content words than this ("Ja.", "Se ovan.") are not clustered.
MIN_CONTENT_WORDS = 3
NEW_CODES_CATEGORY = ("kluster", "Nya koder från klustring")


@dataclass(frozen=True)
class Excerpt:
    """One unit to cluster: a sentence or list item of an answer (offsets into the answer text)."""

    answer_id: int
    start: int
    end: int
    text: str
    respondent: str = ""
    respondent_type: str = ""
    question: str = ""

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.answer_id, self.start, self.end)


@dataclass
class ClusterView:
    """A stored cluster as the UI shows it."""

    id: int
    run_id: int
    number: int
    label: str
    name: Optional[str]
    code_id: Optional[str]
    top_terms: list[str]
    size: int
    coverage: dict[str, int]
    members: list[dict] = field(default_factory=list)  # id, answer_id, start, end, text, score, moved, ...
    representatives: list[dict] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The analyst's name if given, else the generated label."""
        return self.name or self.label


@dataclass
class RunSummary:
    """What a clustering run produced and what changed relative to the previous run."""

    run_id: int
    n_excerpts: int
    n_clusters: int
    kept: list[dict] = field(default_factory=list)  # {"cluster_id", "previous_id", "name", "jaccard"}
    new: list[int] = field(default_factory=list)
    gone: list[dict] = field(default_factory=list)  # previous named/mapped clusters with no match
    kept_exclusions: int = 0
    kept_moves: int = 0

    def as_dict(self) -> dict:
        return {"run_id": self.run_id, "n_excerpts": self.n_excerpts, "n_clusters": self.n_clusters,
                "kept": self.kept, "new": self.new, "gone": self.gone,
                "kept_exclusions": self.kept_exclusions, "kept_moves": self.kept_moves}

    def text_sv(self) -> str:
        """A short Swedish summary for the UI."""
        parts = [f"{self.n_excerpts} utdrag i {self.n_clusters} kluster."]
        if self.kept:
            parts.append(f"{len(self.kept)} kluster känns igen från förra körningen (namn och beslut behålls).")
        if self.new:
            parts.append(f"{len(self.new)} nya kluster.")
        if self.gone:
            names = ", ".join(g.get("name") or g.get("label") or str(g.get("previous_id")) for g in self.gone)
            parts.append(f"{len(self.gone)} namngivna kluster finns inte längre: {names}.")
        return " ".join(parts)


# --------------------------------------------------------------------------- excerpts


def _analysed_docs(store, answers) -> dict[int, Any]:
    """Doc per answer id, reusing the store's analysis cache and filling it for new answers."""
    ids = [a.id for a in answers]
    cached = store.get_analyses(ids, pipeline.PIPELINE_VERSION)
    docs: dict[int, Any] = {}
    for aid, data in cached.items():
        try:
            docs[aid] = pipeline.doc_from_bytes(data)
        except ValueError:
            pass
    todo = [a for a in answers if a.id not in docs]
    for k in range(0, len(todo), 500):
        chunk = todo[k:k + 500]
        new = pipeline.analyse([a.text or "" for a in chunk])
        store.put_analyses([(a.id, a.text or "", pipeline.doc_to_bytes(d)) for a, d in zip(chunk, new)],
                           pipeline.PIPELINE_VERSION)
        docs.update({a.id: d for a, d in zip(chunk, new)})
    return docs


def _questions_in_area(store, area: str) -> set[str]:
    want = area.strip().lower()
    return {q.id for q in store.questions() if (q.area or "").strip().lower() == want}


def project_excerpts(store, *, question_ids: Optional[Iterable[str]] = None, area: Optional[str] = None,
                     code_id: Optional[str] = None, min_content_words: int = MIN_CONTENT_WORDS
                     ) -> tuple[list[Excerpt], list[Any]]:
    """The project's excerpts to cluster and their analysed spans (same order).

    ``question_ids``/``area`` restrict to answers of those questions; ``code_id`` keeps only excerpts
    that overlap a non-rejected, non-negated coding of that code.
    """
    answers = store.answers()
    if question_ids is not None:
        wanted = {str(q) for q in question_ids}
        answers = [a for a in answers if a.question in wanted]
    if area:
        qs = _questions_in_area(store, area)
        answers = [a for a in answers if a.question in qs]
    coded: dict[int, list[tuple[int, int]]] = {}
    if code_id is not None:
        for c in store.codings(code_ids=[code_id]):
            if c.decision != "rejected" and not c.negated:
                coded.setdefault(c.answer_id, []).append((c.start, c.end))
        answers = [a for a in answers if a.id in coded]
    docs = _analysed_docs(store, answers)
    excerpts: list[Excerpt] = []
    spans: list[Any] = []
    for a in answers:
        doc = docs.get(a.id)
        if doc is None:
            continue
        text = a.text or ""
        for sp in segment_spans(doc):
            s, e = original_span(doc, sp.start_char, sp.end_char)
            if code_id is not None and not any(s < ce and cs < e for cs, ce in coded.get(a.id, ())):
                continue
            if len(content_lemmas(sp)) < min_content_words:
                continue
            r = a.respondent
            excerpts.append(Excerpt(a.id, s, e, text[s:e], r.name if r else "", (r.type or "") if r else "",
                                    a.question))
            spans.append(sp)
    return excerpts, spans


# --------------------------------------------------------------------------- reading


def runs(store) -> list[dict]:
    """All clustering runs, newest first: {"id", "created_at", "params", "summary"}."""
    with store.read() as con:
        rows = con.execute("SELECT * FROM cluster_runs ORDER BY id DESC").fetchall()
    return [{"id": r["id"], "created_at": r["created_at"], "params": json.loads(r["params"] or "{}"),
             "summary": json.loads(r["summary"]) if (r["summary"] or "").startswith("{") else r["summary"]}
            for r in rows]


def latest_run(store, scope: Optional[dict] = None) -> Optional[int]:
    """Id of the newest run (with this scope, if given), or None."""
    for r in runs(store):
        if scope is None or r["params"].get("scope") == scope:
            return int(r["id"])
    return None


def _member_rows(con: sqlite3.Connection, cluster_ids: Sequence[int]) -> list[sqlite3.Row]:
    if not cluster_ids:
        return []
    marks = ",".join("?" * len(cluster_ids))
    return con.execute(
        f'SELECT m.*, a.text AS answer_text, r.name AS respondent, r.type AS respondent_type, '
        f'a.question_id AS question FROM cluster_members m JOIN answers a ON a.id = m.answer_id '
        f'JOIN respondents r ON r.id = a.respondent_id WHERE m.cluster_id IN ({marks}) '
        f'ORDER BY m.cluster_id, m.score DESC, m.id', list(cluster_ids)).fetchall()


def clusters(store, run_id: Optional[int] = None, *, include_excluded: bool = False,
             n_examples: int = 3) -> list[ClusterView]:
    """The clusters of a run (default: the newest), largest first; merged-away clusters are hidden."""
    if run_id is None:
        run_id = latest_run(store)
        if run_id is None:
            return []
    with store.read() as con:
        rows = con.execute("SELECT * FROM clusters WHERE run_id = ? AND merged_into IS NULL ORDER BY number",
                           (run_id,)).fetchall()
        members = _member_rows(con, [r["id"] for r in rows])
    by: dict[int, list[dict]] = {}
    for m in members:
        d = {"id": m["id"], "answer_id": m["answer_id"], "start": m["start"], "end": m["end"],
             "text": m["answer_text"][m["start"]:m["end"]], "score": m["score"], "moved": bool(m["moved"]),
             "excluded": bool(m["excluded"]), "respondent": m["respondent"],
             "respondent_type": m["respondent_type"] or "", "question": m["question"]}
        by.setdefault(m["cluster_id"], []).append(d)
    out = []
    for r in rows:
        all_m = by.get(r["id"], [])
        active = [m for m in all_m if not m["excluded"]]
        cov: dict[str, set] = {}
        for m in active:
            cov.setdefault(m["respondent_type"] or "okänd", set()).add(m["respondent"])
        reps = [m for m in active if not m["moved"]][:n_examples] or active[:n_examples]
        out.append(ClusterView(
            id=r["id"], run_id=r["run_id"], number=r["number"], label=r["label"], name=r["name"],
            code_id=r["code_id"], top_terms=json.loads(r["top_terms"] or "[]"), size=len(active),
            coverage={k: len(v) for k, v in sorted(cov.items())},
            members=all_m if include_excluded else active, representatives=reps))
    out.sort(key=lambda c: (-c.size, c.number))
    return out


def cluster(store, cluster_id: int, *, include_excluded: bool = True) -> ClusterView:
    """One cluster (StoreError if it does not exist)."""
    with store.read() as con:
        row = con.execute("SELECT run_id FROM clusters WHERE id = ?", (cluster_id,)).fetchone()
    if row is None:
        raise StoreError("Klustret finns inte.")
    for c in clusters(store, row["run_id"], include_excluded=include_excluded):
        if c.id == cluster_id:
            return c
    raise StoreError("Klustret har slagits ihop med ett annat kluster.")


# --------------------------------------------------------------------------- running


def _previous_state(con: sqlite3.Connection, run_id: int) -> tuple[dict, dict, dict]:
    """(cluster rows by id, member keys by cluster id, member decisions by key) of a run."""
    rows = {r["id"]: dict(r) for r in con.execute("SELECT * FROM clusters WHERE run_id = ?", (run_id,))}
    members: dict[int, set] = {}
    decisions: dict[tuple, dict] = {}
    if rows:
        marks = ",".join("?" * len(rows))
        for m in con.execute(f'SELECT * FROM cluster_members WHERE cluster_id IN ({marks})', list(rows)):
            key = (m["answer_id"], m["start"], m["end"])
            target = m["cluster_id"]
            seen = set()
            while rows[target]["merged_into"] is not None and target not in seen:
                seen.add(target)
                target = rows[target]["merged_into"]
            # excluded excerpts still count for matching: the algorithm put them there
            members.setdefault(target, set()).add(key)
            if m["excluded"] or m["moved"]:
                decisions[key] = {"excluded": bool(m["excluded"]), "moved": bool(m["moved"]), "cluster": target}
    return rows, members, decisions


def _match(new: dict[int, set], old: dict[int, set], threshold: float) -> dict[int, tuple[int, float]]:
    """Greedy one-to-one matching of new to old clusters by Jaccard overlap (>= threshold)."""
    pairs = []
    for n, ns in new.items():
        for o, os_ in old.items():
            inter = len(ns & os_)
            if inter:
                j = inter / len(ns | os_)
                if j >= threshold:
                    pairs.append((j, n, o))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_n, used_o, out = set(), set(), {}
    for j, n, o in pairs:
        if n in used_n or o in used_o:
            continue
        used_n.add(n)
        used_o.add(o)
        out[n] = (o, j)
    return out


def run_clustering(store, *, k: Optional[int] = None, question_ids: Optional[Iterable[str]] = None,
                   area: Optional[str] = None, code_id: Optional[str] = None, analyst: Optional[str] = None,
                   codebook: Any = None, min_content_words: int = MIN_CONTENT_WORDS) -> RunSummary:
    """Cluster the project's excerpts, store the run and carry over the analyst's review.

    Where a new cluster matches a cluster of the previous run with the same scope (Jaccard >=
    MATCH_JACCARD), its name and code are kept; excerpts the analyst excluded stay excluded and
    excerpts the analyst moved follow their cluster. Returns what changed.
    """
    scope = {"questions": sorted(str(q) for q in question_ids) if question_ids is not None else None,
             "area": area or None, "code_id": code_id or None}
    if codebook is None:
        codebook = _project_codebook_doc(store)
    excerpts, spans = project_excerpts(store, question_ids=question_ids, area=area, code_id=code_id,
                                       min_content_words=min_content_words)
    if excerpts:
        est = ExcerptClusterer(n_clusters=k, codebook=codebook).fit(spans)
        infos = describe(est, [(x.respondent_type, x.respondent) for x in excerpts])
        labels = est.labels_.tolist()
        F = est.features_
    else:
        infos, labels, F = [], [], None
    scores = _centroid_scores(F, labels) if F is not None else []
    new_members: dict[int, set] = {}
    for x, lab in zip(excerpts, labels):
        new_members.setdefault(lab, set()).add(x.key)
    params = {"k": k, "scope": scope, "n_excerpts": len(excerpts), "min_content_words": min_content_words}

    def op(con: sqlite3.Connection) -> RunSummary:
        prev_id = None
        for r in con.execute("SELECT id, params FROM cluster_runs ORDER BY id DESC"):
            if json.loads(r["params"] or "{}").get("scope") == scope:
                prev_id = r["id"]
                break
        old_rows, old_members, decisions = _previous_state(con, prev_id) if prev_id else ({}, {}, {})
        matched = _match(new_members, old_members, MATCH_JACCARD)
        cur = con.execute("INSERT INTO cluster_runs(created_at, params, summary) VALUES (?,?,?)",
                          (now_iso(), json.dumps(params, ensure_ascii=False), ""))
        run_id = int(cur.lastrowid)
        summary = RunSummary(run_id=run_id, n_excerpts=len(excerpts), n_clusters=len(infos))
        new_ids: dict[int, int] = {}
        old_to_new: dict[int, int] = {}
        for info in infos:
            name = code = None
            if info.number in matched:
                o, j = matched[info.number]
                name, code = old_rows[o]["name"], old_rows[o]["code_id"]
            cur = con.execute(
                "INSERT INTO clusters(run_id, number, label, name, code_id, top_terms) VALUES (?,?,?,?,?,?)",
                (run_id, info.number, info.label, name, code, json.dumps(info.top_terms, ensure_ascii=False)))
            cid = int(cur.lastrowid)
            new_ids[info.number] = cid
            if info.number in matched:
                o, j = matched[info.number]
                old_to_new[o] = cid
                summary.kept.append({"cluster_id": cid, "previous_id": o, "name": name, "code_id": code,
                                     "jaccard": round(j, 3)})
            else:
                summary.new.append(cid)
        for o, row in old_rows.items():
            if o not in old_to_new and row["merged_into"] is None and (row["name"] or row["code_id"]):
                summary.gone.append({"previous_id": o, "name": row["name"], "label": row["label"],
                                     "code_id": row["code_id"]})
        rows = []
        for i, (x, lab) in enumerate(zip(excerpts, labels)):
            cid = new_ids[lab]
            excluded = moved = 0
            dec = decisions.get(x.key)
            if dec:
                if dec["excluded"]:
                    excluded = 1
                    summary.kept_exclusions += 1
                elif dec["moved"] and dec["cluster"] in old_to_new and old_to_new[dec["cluster"]] != cid:
                    cid = old_to_new[dec["cluster"]]
                    moved = 1
                    summary.kept_moves += 1
            rows.append((cid, x.answer_id, x.start, x.end, float(scores[i]), excluded, moved))
        con.executemany('INSERT INTO cluster_members(cluster_id, answer_id, start, "end", score, excluded, moved) '
                        "VALUES (?,?,?,?,?,?,?)", rows)
        con.execute("UPDATE cluster_runs SET summary = ? WHERE id = ?",
                    (json.dumps(summary.as_dict(), ensure_ascii=False), run_id))
        append_audit(con, audit.cluster_run(analyst, run_id, params, summary.as_dict()))
        return summary

    return store.write(op)


def _centroid_scores(F, labels: Sequence[int]) -> list[float]:
    """Cosine similarity of each excerpt to its cluster centroid (representativeness)."""
    import numpy as np

    if F is None or not len(labels):
        return []
    lab = np.asarray(labels)
    out = np.zeros(len(lab))
    for c in np.unique(lab):
        idx = np.flatnonzero(lab == c)
        cen = F[idx].mean(axis=0)
        n = np.linalg.norm(cen)
        if n:
            out[idx] = F[idx] @ (cen / n)
    return [round(float(v), 6) for v in out]


# --------------------------------------------------------------------------- review operations


def _cluster_row(con: sqlite3.Connection, cluster_id: int) -> sqlite3.Row:
    row = con.execute("SELECT * FROM clusters WHERE id = ?", (cluster_id,)).fetchone()
    if row is None:
        raise StoreError("Klustret finns inte.")
    if row["merged_into"] is not None:
        raise StoreError("Klustret har slagits ihop med ett annat kluster.")
    return row


def rename(store, cluster_id: int, name: str, analyst: Optional[str] = None) -> None:
    """Give a cluster the analyst's name (empty: back to the generated label)."""
    clean = " ".join((name or "").split())[:200] or None

    def op(con: sqlite3.Connection) -> None:
        row = _cluster_row(con, cluster_id)
        con.execute("UPDATE clusters SET name = ? WHERE id = ?", (clean, cluster_id))
        append_audit(con, audit.cluster_renamed(analyst, cluster_id, row["name"], clean))

    store.write(op)


def merged_top_terms(term_lists: Sequence[Sequence[str]], sizes: Sequence[int], n: int) -> list[str]:
    """The typical words of clusters merged into one: each cluster's words weighted by its size and their rank in
    it (size / (rank + 1)), the `n` heaviest (ties in the clusters' order). Kluster shows them and "Skapa kod av
    klustret" makes them the code's keywords: they must describe the whole merged cluster, not its first part."""
    weight: dict[str, float] = {}
    for terms, size in zip(term_lists, sizes):
        for rank, term in enumerate(terms):
            weight[term] = weight.get(term, 0.0) + max(int(size), 1) / (rank + 1)
    order = {t: i for i, t in enumerate(weight)}
    return sorted(weight, key=lambda t: (-weight[t], order[t]))[:n]


def merge(store, cluster_ids: Sequence[int], analyst: Optional[str] = None, name: Optional[str] = None) -> int:
    """Merge clusters into the first one; returns its id. The others are kept as merged_into."""
    ids = list(dict.fromkeys(int(c) for c in cluster_ids))
    if len(ids) < 2:
        raise StoreError("Välj minst två kluster att slå ihop.")
    target = ids[0]

    def op(con: sqlite3.Connection) -> int:
        rows = [_cluster_row(con, c) for c in ids]
        if len({r["run_id"] for r in rows}) != 1:
            raise StoreError("Bara kluster från samma körning kan slås ihop.")
        sizes = [con.execute("SELECT COUNT(*) FROM cluster_members WHERE cluster_id = ? AND excluded = 0",
                             (c,)).fetchone()[0] for c in ids]
        moved = {}
        for c in ids[1:]:
            moved[c] = [m[0] for m in con.execute("SELECT id FROM cluster_members WHERE cluster_id = ?", (c,))]
            con.execute("UPDATE cluster_members SET cluster_id = ? WHERE cluster_id = ?", (target, c))
            con.execute("UPDATE clusters SET merged_into = ? WHERE id = ?", (target, c))
        new_name = " ".join(name.split())[:200] if name and name.strip() else rows[0]["name"]
        old_terms = json.loads(rows[0]["top_terms"] or "[]")
        terms = merged_top_terms([json.loads(r["top_terms"] or "[]") for r in rows], sizes, len(old_terms) or 10)
        con.execute("UPDATE clusters SET name = ?, top_terms = ? WHERE id = ?",
                    (new_name, json.dumps(terms, ensure_ascii=False), target))
        append_audit(con, audit.cluster_merged(analyst, target, ids, rows[0]["name"], moved, new_name, old_terms))
        return target

    return store.write(op)


def split(store, cluster_id: int, analyst: Optional[str] = None, k: Optional[int] = None) -> list[int]:
    """Re-cluster one cluster's excerpts; the largest part stays in the cluster (keeping its name),
    the other parts become new clusters of the same run. Returns the ids of all parts."""
    view = cluster(store, cluster_id, include_excluded=False)
    members = view.members
    if len(members) < 2:
        raise StoreError("Klustret har för få utdrag för att delas.")
    texts = [m["text"] for m in members]
    if k is not None and k < 2:
        raise StoreError("Ange minst två delar.")
    est = ExcerptClusterer(n_clusters=k if k is not None else None, k_max=min(10, len(texts) - 1),
                           codebook=_project_codebook_doc(store)).fit(texts)
    if est.n_clusters_ < 2:
        est = ExcerptClusterer(n_clusters=2, codebook=_project_codebook_doc(store)).fit(texts)
    infos = describe(est)
    labels = est.labels_.tolist()

    def op(con: sqlite3.Connection) -> list[int]:
        row = _cluster_row(con, cluster_id)
        top = con.execute("SELECT MAX(number) FROM clusters WHERE run_id = ?", (row["run_id"],)).fetchone()[0]
        part_ids = {0: cluster_id}
        con.execute("UPDATE clusters SET label = ?, top_terms = ? WHERE id = ?",
                    (infos[0].label, json.dumps(infos[0].top_terms, ensure_ascii=False), cluster_id))
        for info in infos[1:]:
            top += 1
            cur = con.execute("INSERT INTO clusters(run_id, number, label, top_terms) VALUES (?,?,?,?)",
                              (row["run_id"], top, info.label, json.dumps(info.top_terms, ensure_ascii=False)))
            part_ids[info.number] = int(cur.lastrowid)
        moves = {}
        for m, lab in zip(members, labels):
            if lab != 0:
                con.execute("UPDATE cluster_members SET cluster_id = ? WHERE id = ?", (part_ids[lab], m["id"]))
                moves[m["id"]] = part_ids[lab]
        append_audit(con, audit.cluster_split(analyst, cluster_id, row["label"], len(members),
                                              part_ids.values(), moves, json.loads(row["top_terms"] or "[]")))
        return list(part_ids.values())

    return store.write(op)


def move_excerpts(store, member_ids: Sequence[int], to_cluster_id: int, analyst: Optional[str] = None) -> None:
    """Move excerpts to another cluster of the same run, in one step (one "Ångra" takes them all back)."""
    ids = list(dict.fromkeys(int(m) for m in member_ids))

    def op(con: sqlite3.Connection) -> None:
        target = _cluster_row(con, to_cluster_id)
        first: Optional[int] = None
        for member_id in ids:
            m = con.execute("SELECT m.*, c.run_id FROM cluster_members m JOIN clusters c ON c.id = m.cluster_id "
                            "WHERE m.id = ?", (member_id,)).fetchone()
            if m is None:
                raise StoreError("Utdraget finns inte i någon klustring.")
            if target["run_id"] != m["run_id"]:
                raise StoreError("Utdraget kan bara flyttas till ett kluster i samma körning.")
            con.execute("UPDATE cluster_members SET cluster_id = ?, moved = 1 WHERE id = ?",
                        (to_cluster_id, member_id))
            append_audit(con, audit.excerpt_moved(analyst, member_id, m["cluster_id"], m["moved"], to_cluster_id,
                                                  ref=first))
            first = first if first is not None else _last_audit_id(con)

    store.write(op)


def move_excerpt(store, member_id: int, to_cluster_id: int, analyst: Optional[str] = None) -> None:
    """Move one excerpt to another cluster of the same run."""
    move_excerpts(store, [member_id], to_cluster_id, analyst)


def exclude_excerpts(store, member_ids: Sequence[int], analyst: Optional[str] = None, excluded: bool = True) -> None:
    """Exclude excerpts from their clusters (or include them again with ``excluded=False``), in one step."""
    ids = list(dict.fromkeys(int(m) for m in member_ids))

    def op(con: sqlite3.Connection) -> None:
        first: Optional[int] = None
        for member_id in ids:
            m = con.execute("SELECT * FROM cluster_members WHERE id = ?", (member_id,)).fetchone()
            if m is None:
                raise StoreError("Utdraget finns inte i någon klustring.")
            con.execute("UPDATE cluster_members SET excluded = ? WHERE id = ?", (int(bool(excluded)), member_id))
            append_audit(con, audit.excerpt_excluded(analyst, member_id, m["excluded"], excluded, ref=first))
            first = first if first is not None else _last_audit_id(con)

    store.write(op)


def exclude_excerpt(store, member_id: int, analyst: Optional[str] = None, excluded: bool = True) -> None:
    """Exclude an excerpt from its cluster (or include it again with ``excluded=False``)."""
    exclude_excerpts(store, [member_id], analyst, excluded)


# ------------------------------------------------------------------ undo of Kluster's actions
_NOT_UNDONE = "id NOT IN (SELECT ref FROM audit_log WHERE action = 'undo' AND ref IS NOT NULL)"
_UNDO_TEXT = {
    "cluster_rename": "namnbytet på klustret", "cluster_merge": "sammanslagningen av kluster",
    "cluster_split": "delningen av klustret", "cluster_move": "flytten av utdrag",
    "cluster_exclude": "uteslutningen av utdrag", "cluster_include": "återtagandet av utdrag",
    "cluster_map": "kopplingen av klustret till en kod", "cluster_create_code": "koden skapad av klustret",
}


def _latest_action(con: sqlite3.Connection, analyst: str) -> Optional[sqlite3.Row]:
    """The analyst's newest Kluster action not undone (the first row of a step of several rows)."""
    marks = ",".join("?" * len(audit.CLUSTER_UNDOABLE))
    row = con.execute(f"SELECT * FROM audit_log WHERE analyst = ? AND action IN ({marks}) AND {_NOT_UNDONE} "
                      "ORDER BY id DESC LIMIT 1", (analyst, *audit.CLUSTER_UNDOABLE)).fetchone()
    if row is not None and row["ref"] is not None and row["action"] in ("cluster_move", "cluster_exclude",
                                                                         "cluster_include"):
        head = con.execute("SELECT * FROM audit_log WHERE id = ? AND action = ?",
                           (row["ref"], row["action"])).fetchone()
        row = head if head is not None else row
    return row


def _run_of(con: sqlite3.Connection, row: sqlite3.Row) -> Optional[int]:
    if row["entity"] == "cluster_member":
        hit = con.execute("SELECT c.run_id FROM cluster_members m JOIN clusters c ON c.id = m.cluster_id "
                          "WHERE m.id = ?", (int(row["entity_id"]),)).fetchone()
    else:
        hit = con.execute("SELECT run_id FROM clusters WHERE id = ?", (int(row["entity_id"]),)).fetchone()
    return None if hit is None else int(hit[0])


def last_undoable(store, analyst: Optional[str]) -> Optional[str]:
    """What Kluster's "Ångra" would take back for `analyst` ("namnbytet på klustret"), or None."""
    if not analyst:
        return None
    with store.read() as con:
        row = _latest_action(con, analyst)
        if row is None or _run_of(con, row) != con.execute("SELECT MAX(id) FROM cluster_runs").fetchone()[0]:
            return None  # nothing, or an action on a clustering that was run again since
    return _UNDO_TEXT.get(row["action"], "ändringen")


def undo_last(store, analyst: str) -> Optional[str]:
    """Take back the analyst's newest Kluster action (rename, merge, split, move, exclude, include, map,
    create code) in one step; returns what was undone ("sammanslagningen av kluster") or None.

    Refused with a StoreError when the clustering was run again since (the action belongs to an older run)
    or when someone else changed a cluster of that run afterwards.
    """
    with store.read() as con:
        row = _latest_action(con, analyst)
    if row is None:
        return None
    if row["action"] in audit.CLUSTER_BATCHES:
        return _UNDO_TEXT[row["action"]] if store.undo_last(analyst, cluster_action=int(row["id"])) else None

    def op(con: sqlite3.Connection) -> Optional[str]:
        head = _latest_action(con, analyst)
        if head is None or head["id"] != row["id"]:
            return None
        run_id = _run_of(con, head)
        newest = con.execute("SELECT MAX(id) FROM cluster_runs").fetchone()[0]
        if run_id is None or run_id != newest:
            raise StoreError("Ändringen kan inte ångras: klustringen har körts om sedan dess.")
        marks = ",".join("?" * len(audit.CLUSTER_UNDOABLE))
        later = con.execute(
            f"SELECT * FROM audit_log WHERE id > ? AND action IN ({marks}) AND analyst IS NOT ? "
            f"AND {_NOT_UNDONE} ORDER BY id DESC", (head["id"], *audit.CLUSTER_UNDOABLE, analyst)).fetchall()
        if any(_run_of(con, r) == run_id for r in later):
            raise StoreError("Ändringen kan inte ångras: någon annan har ändrat klustren efteråt.")
        rows = [head] + con.execute(f"SELECT * FROM audit_log WHERE ref = ? AND action = ? AND analyst = ? "
                                    f"AND {_NOT_UNDONE} ORDER BY id DESC",
                                    (head["id"], head["action"], analyst)).fetchall()
        for r in [*rows[1:], head]:  # the newest row first
            _restore(con, r)
            append_audit(con, audit.undo(analyst, r, json.loads(r["before"] or "null"),
                                         json.loads(r["after"] or "null")))
        return _UNDO_TEXT[head["action"]]

    return store.write(op)


def _restore(con: sqlite3.Connection, row: sqlite3.Row) -> None:
    """Put back the state before one Kluster audit row."""
    action, entity_id = row["action"], int(row["entity_id"])
    before = json.loads(row["before"] or "null") or {}
    after = json.loads(row["after"] or "null") or {}
    if action == "cluster_rename":
        con.execute("UPDATE clusters SET name = ? WHERE id = ?", (before.get("name"), entity_id))
    elif action == "cluster_move":
        con.execute("UPDATE cluster_members SET cluster_id = ?, moved = ? WHERE id = ?",
                    (int(before["cluster_id"]), int(before.get("moved") or 0), entity_id))
    elif action in ("cluster_exclude", "cluster_include"):
        con.execute("UPDATE cluster_members SET excluded = ? WHERE id = ?",
                    (int(before.get("excluded") or 0), entity_id))
    elif action == "cluster_merge":
        for cluster_id, member_ids in (after.get("members") or {}).items():
            for member_id in member_ids:
                con.execute("UPDATE cluster_members SET cluster_id = ? WHERE id = ?", (int(cluster_id), member_id))
            con.execute("UPDATE clusters SET merged_into = NULL WHERE id = ?", (int(cluster_id),))
        con.execute("UPDATE clusters SET name = ? WHERE id = ?", (before.get("name"), entity_id))
        if before.get("top_terms") is not None:
            con.execute("UPDATE clusters SET top_terms = ? WHERE id = ?",
                        (json.dumps(before["top_terms"], ensure_ascii=False), entity_id))
    elif action == "cluster_split":
        for member_id in (after.get("moved_members") or {}):
            con.execute("UPDATE cluster_members SET cluster_id = ? WHERE id = ?", (entity_id, int(member_id)))
        for part in after.get("parts") or []:
            if int(part) != entity_id:
                con.execute("DELETE FROM clusters WHERE id = ? AND NOT EXISTS "
                            "(SELECT 1 FROM cluster_members WHERE cluster_id = ?)", (int(part), int(part)))
        con.execute("UPDATE clusters SET label = ? WHERE id = ?", (before.get("label") or "", entity_id))
        if before.get("top_terms") is not None:
            con.execute("UPDATE clusters SET top_terms = ? WHERE id = ?",
                        (json.dumps(before["top_terms"], ensure_ascii=False), entity_id))


def _project_codebook_doc(store) -> dict:
    doc = store.codebook_doc()
    if doc:
        return doc

    return default_codebook().to_doc()


def _code_ids(doc: dict) -> set[str]:
    return {str(c.get("id")) for cat in doc.get("categories", []) or [] for c in cat.get("codes", []) or []}


def _code_members(store, cluster_id: int, code_id: str, analyst: str, batch: Optional[int] = None) -> int:
    """Code the cluster's excerpts with `code_id`; `batch` (the cluster action's audit row) ties them to it."""
    view = cluster(store, cluster_id, include_excluded=False)
    n = 0
    for m in view.members:
        if m["end"] > m["start"]:
            store.add_manual_coding(m["answer_id"], code_id, m["start"], m["end"], analyst, origin="cluster",
                                    batch=batch)
            n += 1
    return n


def _last_audit_id(con: sqlite3.Connection) -> int:
    return int(con.execute("SELECT max(id) FROM audit_log").fetchone()[0])


def map_to_code(store, cluster_id: int, code_id: Optional[str], analyst: str, *,
                code_excerpts: bool = False) -> int:
    """Map a cluster to an existing code of the project codebook (None: remove the mapping).

    With ``code_excerpts`` its excerpts are also coded with that code (origin 'cluster').
    Returns the number of excerpts coded.
    """
    if code_id is not None and code_id not in _code_ids(_project_codebook_doc(store)):
        raise StoreError(f"Koden '{code_id}' finns inte i projektets kodbok.")

    def op(con: sqlite3.Connection) -> int:
        row = _cluster_row(con, cluster_id)
        con.execute("UPDATE clusters SET code_id = ? WHERE id = ?", (code_id, cluster_id))
        append_audit(con, audit.cluster_mapped(analyst, cluster_id, row["code_id"], code_id))
        return _last_audit_id(con)

    batch = store.write(op)
    if code_id is not None and code_excerpts:
        return _code_members(store, cluster_id, code_id, analyst, batch)
    return 0


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_")[:40] or "kod"




# --------------------------------------------------------------------------- keywords of a code made from a cluster
# A cluster's typical words say what its excerpts share, not what sets them apart: "arbete", "kommun",
# "insatser", "samverkan", "patienter" are typical of many clusters because they are common in every answer.
# As a new code's keywords they would make it fire on most answers. Kept are words that are distinctive:
KEYWORD_MAX_SHARE = 0.25    # in at most a quarter of all the run's excerpts
KEYWORD_MIN_LIFT = 2.0      # at least twice as common in the cluster's excerpts as in all of them
KEYWORD_MAX_CLUSTERS = 0.25 # a typical word of at most a quarter of the other clusters (and of fewer than two)
KEYWORD_MIN_EXCERPTS = 20   # the share against the whole run is only judged with this many excerpts in it
# Distinctive against the other clusters: the cluster's share of excerpts holding the word over the other
# clusters' share, each smoothed by half an excerpt (so a word of 1 excerpt in 2 is not "infinitely" distinctive),
# at least KEYWORD_MIN_LIFT. Judged whenever the run has other clusters.
KEYWORD_LIFT_PRIOR = 0.5
# The questionnaire's own vocabulary (computed from the form definitions in data/forms, the form text): a word
# (stem) the form itself uses in at least this many of its sections is echoed by answers to every question
# ("område", "arbete", "verksamheter", "insatser"), so it names no cluster.
FORM_FILLER_MIN_SECTIONS = 4
# The corpus's filler: a word (stem) in the answers to at least this share of the project's questions is said
# whatever the question ("uppleva", "arbeta"); judged with answers to at least CORPUS_FILLER_MIN_QUESTIONS questions.
CORPUS_FILLER_SHARE = 0.6
CORPUS_FILLER_MIN_QUESTIONS = 5
# Swedish inflections of a generic lemma ("insats" -> "insatser", "kommun" -> "kommunens")
_INFLECTIONS = ("a", "e", "n", "s", "t", "en", "er", "et", "ar", "or", "na", "ens", "ets", "ers", "ern", "erna",
                "arna", "orna", "ernas", "arnas", "ornas", "ande", "ade", "at")
_WORD = re.compile(r"\w+", re.UNICODE)

LEFT_OUT_SV = {
    "stop": "ett stoppord",
    "generic": "ett allmänt ord i svaren",
    "weak": "ett svagt (allmänt) nyckelord i kodboken",
    "common": "vanligt i hela materialet",
    "not_distinctive": "lika vanligt i andra utdrag",
    "other_clusters": "typiskt ord i flera andra kluster",
    "form": "ett ord ur frågeformulärets egna formuleringar",
    "filler": "förekommer i svaren på de flesta frågor",
    "verb": "ett verb (säger vad någon gör, inte vilken insats det är)",
}


@dataclass(frozen=True)
class KeywordProposal:
    """The keywords proposed for a code made from a cluster, and the typical words left out with why."""

    keywords: list[str]
    left_out: list[tuple[str, str]]  # (word, reason key of LEFT_OUT_SV)

    def left_out_sv(self) -> str:
        """"arbete (vanligt i hela materialet), kommun (ett allmänt ord i svaren)" or ""."""
        return ", ".join(f"{w} ({LEFT_OUT_SV[r]})" for w, r in self.left_out)


def _is_form_of(word: str, lemmas: set[str]) -> bool:
    """`word` is one of `lemmas` or an inflected form of one (a lemma of four letters or more)."""
    if word in lemmas:
        return True
    return any(word[:-len(suf)] in lemmas for suf in _INFLECTIONS
               if word.endswith(suf) and len(word) - len(suf) >= 4)


def _stem(term: str) -> str:
    """What a term's forms start with ("patienter" and "patient" -> "patient")."""
    for suf in sorted(_INFLECTIONS, key=len, reverse=True):
        if term.endswith(suf) and len(term) - len(suf) >= 4:
            return term[:-len(suf)]
    return term


def _share_counter(texts: Sequence[str], terms: Sequence[str]) -> dict[str, int]:
    """In how many of `texts` each term occurs (a one-word term in any of its forms, a phrase as written)."""
    words = [set(_WORD.findall(t.lower())) for t in texts]
    lowered = [t.lower() for t in texts]
    out = {}
    for term in terms:
        low = term.lower()
        if " " in low or "-" in low:
            out[term] = sum(1 for t in lowered if low in t)
            continue
        stem = _stem(low)
        out[term] = sum(1 for ws in words if any(w.startswith(stem) and len(w) - len(stem) <= 5 for w in ws))
    return out


def _stems(text: str) -> set[str]:
    """The stems (`_stem`) of the words of three letters or more in `text`."""
    return {_stem(w) for w in _WORD.findall((text or "").lower()) if len(w) >= 3 and not w.isdigit()}


_FORM_FILLER: list = []


def form_filler_stems() -> frozenset[str]:
    """Stems the questionnaire itself uses in at least FORM_FILLER_MIN_SECTIONS of its sections (area, intro,
    questions and options of every known form definition): its own recurring vocabulary."""
    if not _FORM_FILLER:
        sections: Counter = Counter()
        try:
            from reference.forms import default_forms
            forms = list(default_forms())
        except Exception:  # definitions unreadable: no form vocabulary
            forms = []
        for form in forms:
            questions = {q.id: q for q in form.questions}
            for sec in form.sections:
                parts = [sec.area or "", sec.intro or "", *(sec.intro_items or ())]
                for qid in sec.question_ids:
                    q = questions.get(qid)
                    if q is not None:
                        parts += [q.text or "", *(q.options or ())]
                sections.update(_stems(" ".join(parts)))
        _FORM_FILLER.append(frozenset(w for w, k in sections.items() if k >= FORM_FILLER_MIN_SECTIONS))
    return _FORM_FILLER[0]


_CORPUS_FILLER: dict = {}


def corpus_filler_stems(store) -> frozenset[str]:
    """Stems in the answers to at least CORPUS_FILLER_SHARE of the project's questions (that have answers),
    when there are at least CORPUS_FILLER_MIN_QUESTIONS of them; else none. Kept for the answers as they are
    (count, last id and total length)."""
    with store.read() as con:
        key = tuple(con.execute("SELECT COUNT(*), MAX(id), SUM(LENGTH(text)) FROM answers").fetchone())
        cache_key = (id(store), key)
        if cache_key in _CORPUS_FILLER:
            return _CORPUS_FILLER[cache_key]
        rows = con.execute("SELECT question_id, text FROM answers WHERE text IS NOT NULL AND text != ''").fetchall()
    per_question: dict = {}
    for qid, text in rows:
        per_question.setdefault(qid, set()).update(_stems(text))
    out: frozenset = frozenset()
    if len(per_question) >= CORPUS_FILLER_MIN_QUESTIONS:
        spread = Counter(w for stems in per_question.values() for w in stems)
        need = CORPUS_FILLER_SHARE * len(per_question)
        out = frozenset(w for w, k in spread.items() if k >= need)
    _CORPUS_FILLER.clear()
    _CORPUS_FILLER[cache_key] = out
    return out


def _is_verb_in(term: str, texts: Sequence[str]) -> bool:
    """`term` (a lemma) is used only as a verb in `texts`: each word of the texts whose lemma it is has a verb form
    (nlp.verbforms), and at least one is clearly verbal: a present tense form or a supine in -t ("börjat",
    "upplever", "erbjuds"; not a participle in -d such as "samlokaliserad", not a noun in -a such as
    "sjuksköterska" that has no verbal form in the texts)."""
    from nlp.verbforms import verb_form

    low = term.lower()
    if " " in low or "-" in low or not low.isalpha():
        return False
    stem = low[:-1] if low.endswith("a") and len(low) > 2 else _stem(low)  # "åka" -> "åk" ("åker", "åkt")
    verbal = False
    for text in texts:
        for word in _WORD.findall(text.lower()):
            if not word.startswith(stem) or len(word) - len(stem) > 5 or pipeline.lemma(word) != low:
                continue
            form = verb_form(word, low)
            if form is None:
                return False  # also used as another word class
            verbal = verbal or form[1] in ("pres", "pres_pass") or (form[1] == "sup" and word.endswith(("t", "ts")))
    return verbal


def proposed_keywords(store, cluster_id: int, n: int = 5, *, views: Optional[Sequence[ClusterView]] = None,
                      doc: Optional[dict] = None) -> KeywordProposal:
    """The cluster's typical words that are distinctive enough to be a new code's keywords (at most `n`).

    Left out: stop words and words that say who answers (GENERIC_TERMS) and their forms; words the codebook
    already has as weak (generic) keywords; the questionnaire's own recurring vocabulary (`form_filler_stems`)
    and the corpus's filler words (`corpus_filler_stems`); words used only as verbs in the cluster's excerpts
    (`_is_verb_in`: they say what someone does, not which measure); typical words of several other clusters; with at
    least KEYWORD_MIN_EXCERPTS excerpts in the run, words in more than KEYWORD_MAX_SHARE of all excerpts; and
    words not KEYWORD_MIN_LIFT times as common in the cluster's excerpts as in the other clusters' (smoothed).
    Abbreviations (SIP) are judged the same way and kept in their case.
    """
    from nlp.pipeline import STOP_WORDS

    view = cluster(store, cluster_id, include_excluded=False)
    if views is None:
        views = clusters(store, view.run_id)
    doc = doc if doc is not None else _project_codebook_doc(store)
    codes = [c for cat in doc.get("categories", []) or [] for c in cat.get("codes", []) or []]
    weak = {str(w).lower() for c in codes for w in c.get("weak_keywords", []) or []}
    others = [v for v in views if v.id != view.id]
    other_terms = Counter(t.lower() for v in others for t in {x.lower() for x in v.top_terms})
    max_others = max(2, int(KEYWORD_MAX_CLUSTERS * len(others)) + 1)
    candidates = list(dict.fromkeys(view.top_terms))
    all_texts = [m["text"] for v in views for m in v.members] or [m["text"] for m in view.members]
    other_texts = [m["text"] for v in others for m in v.members]
    judged = len(all_texts) >= KEYWORD_MIN_EXCERPTS
    in_all = _share_counter(all_texts, candidates) if judged else {}
    member_texts = [m["text"] for m in view.members]
    in_cluster = _share_counter(member_texts, candidates)
    in_others = _share_counter(other_texts, candidates) if other_texts else {}
    form_filler = form_filler_stems()
    corpus_filler = corpus_filler_stems(store)
    prior = KEYWORD_LIFT_PRIOR
    keywords: list[str] = []
    left_out: list[tuple[str, str]] = []
    for term in candidates:
        low = term.lower()
        reason = None
        if low in STOP_WORDS or len(low) < 3:
            reason = "stop"
        elif _is_form_of(low, set(GENERIC_TERMS)):
            reason = "generic"
        elif _is_form_of(low, weak):
            reason = "weak"
        elif " " not in low and "-" not in low and (_stem(low) in form_filler or low in form_filler):
            reason = "form"  # "patient" is the stem of "patienter" (the stem of "patient" is "patien")
        elif " " not in low and "-" not in low and (_stem(low) in corpus_filler or low in corpus_filler):
            reason = "filler"
        elif not term.isupper() and _is_verb_in(term, member_texts):
            reason = "verb"
        elif other_terms[low] >= max_others:
            reason = "other_clusters"
        elif judged and in_all.get(term) and in_all[term] / len(all_texts) > KEYWORD_MAX_SHARE:
            reason = "common"
        elif other_texts and (in_cluster[term] or in_others.get(term)):  # found nowhere as written: not judged
            inside = (in_cluster[term] + prior) / (len(view.members) + 2 * prior)
            outside = (in_others.get(term, 0) + prior) / (len(other_texts) + 2 * prior)
            if inside / outside < KEYWORD_MIN_LIFT:
                reason = "not_distinctive"
        if reason:
            left_out.append((term, reason))
        elif len(keywords) < n:
            keywords.append(term if term.isupper() else low)
    return KeywordProposal(keywords, left_out)


def create_code(store, cluster_id: int, analyst: str, *, label: Optional[str] = None,
                code_id: Optional[str] = None, category_id: Optional[str] = None, n_keywords: int = 5,
                definition: str = "", keywords: Optional[Sequence[str]] = None) -> str:
    """Create a new code from a cluster: its distinctive top terms (`proposed_keywords`), or the analyst's
    `keywords` when given (an edited list; words in capitals are abbreviations), become the code's keywords in
    the project codebook, its excerpts become codings (origin 'cluster'), and the cluster is mapped to it.
    Returns the new code id."""
    view = cluster(store, cluster_id, include_excluded=False)
    label = " ".join((label or view.title).split())[:120]
    if not label:
        raise StoreError("Ange ett namn på koden.")
    doc = copy.deepcopy(_project_codebook_doc(store))
    existing = _code_ids(doc)
    cid = code_id or _slug(label)
    if code_id and code_id in existing:
        raise StoreError(f"Det finns redan en kod med id '{code_id}'.")
    base, n = cid, 2
    while cid in existing:
        cid = f"{base}_{n}"
        n += 1
    # Words every answer uses (who answers, generic verbs, words common to the whole material) would make the
    # new code fire on nearly every answer ("Kommunen …"): a merged cluster's typical words often are such words.
    if keywords is None:
        keywords = proposed_keywords(store, cluster_id, n_keywords, doc=doc).keywords
    else:  # the analyst's list as given (cleaned: one space between words, no doubles, no empties)
        cleaned = (" ".join(str(k).split()) for k in keywords)
        keywords = list(dict.fromkeys(k if k.isupper() else k.lower() for k in cleaned if k))
    new_code = {"id": cid, "label": label, "definition": definition or f"Skapad från klustret '{view.title}'.",
                "questions": [], "keywords": [k for k in keywords if not k.isupper()],
                "abbreviations": [k for k in keywords if k.isupper()], "negative_keywords": [],
                "false_friends": [], "notes": f"Skapad från kluster {cluster_id}."}
    cats = doc.setdefault("categories", [])
    target = None
    if category_id:
        target = next((c for c in cats if c.get("id") == category_id), None)
        if target is None:
            raise StoreError(f"Kategorin '{category_id}' finns inte i kodboken.")
    else:
        target = next((c for c in cats if c.get("id") == NEW_CODES_CATEGORY[0]), None)
        if target is None:
            target = {"id": NEW_CODES_CATEGORY[0], "label": NEW_CODES_CATEGORY[1], "description": "",
                      "questions": [], "codes": []}
            cats.append(target)
    target.setdefault("codes", []).append(new_code)
    try:
        Codebook.from_doc(doc, source="projektets kodbok")
    except CodebookError as e:
        raise StoreError(str(e)) from None
    store.save_codebook_doc(doc, analyst)

    def op(con: sqlite3.Connection) -> int:
        row = _cluster_row(con, cluster_id)
        con.execute("UPDATE clusters SET code_id = ? WHERE id = ?", (cid, cluster_id))
        append_audit(con, audit.cluster_code_created(analyst, cluster_id, row["code_id"], cid, new_code))
        return _last_audit_id(con)

    _code_members(store, cluster_id, cid, analyst, store.write(op))
    return cid


# --------------------------------------------------------------------------- code proposals
@dataclass(frozen=True)
class CodeProposal:
    """The codebook code that fits a cluster best, and why (Swedish)."""

    code_id: str
    reason: str


def _keyword_words(code: dict) -> set[str]:
    words: set[str] = set()
    for phrase in [code.get("label") or ""] + list(code.get("keywords") or []) + list(code.get("abbreviations") or []):
        words.update(w for w in re.findall(r"\w+", str(phrase).lower()) if len(w) > 3)
    return words


def propose_codes(store, views: Sequence[ClusterView], doc: Optional[dict] = None,
                  min_share: float = 0.3) -> dict[int, CodeProposal]:
    """cluster id -> the proposed code: the code most of its excerpts are tagged with (at least
    `min_share` of them, not rejected), else the code whose label/keywords share most words with
    the cluster's typical words. Clusters with no fitting code are left out."""
    doc = doc if doc is not None else _project_codebook_doc(store)
    codes = [c for cat in doc.get("categories") or [] for c in cat.get("codes") or []]
    answer_ids = sorted({int(m["answer_id"]) for v in views for m in v.members})
    by_answer: dict[int, list] = {}
    for c in store.codings(answer_ids=answer_ids):
        if c.decision != "rejected" and not c.negated:
            by_answer.setdefault(c.answer_id, []).append(c)
    words = {c["id"]: _keyword_words(c) for c in codes if c.get("id")}
    spread = Counter(w for ws in words.values() for w in ws)
    telling = {cid: {w for w in ws if spread[w] < 3} for cid, ws in words.items()}  # "vård" names no code
    out: dict[int, CodeProposal] = {}
    for v in views:
        tally: Counter = Counter()
        for m in v.members:
            tally.update({c.code_id for c in by_answer.get(int(m["answer_id"]), ())
                          if c.start < int(m["end"]) and int(m["start"]) < c.end})
        if tally:
            code_id, n = min(tally.items(), key=lambda kv: (-kv[1], kv[0]))
            if n >= max(2, min_share * len(v.members)) and code_id in words:
                out[v.id] = CodeProposal(code_id, f"{n} av {len(v.members)} utdrag är taggade med koden")
                continue
        terms = {w for t in v.top_terms for w in re.findall(r"\w+", t.lower()) if len(w) > 3}
        scored = sorted(((len(terms & ws), cid) for cid, ws in telling.items() if terms & ws),
                        key=lambda s: (-s[0], s[1]))
        if scored:
            shared = sorted(terms & telling[scored[0][1]])
            out[v.id] = CodeProposal(scored[0][1], "kodens nyckelord: " + ", ".join(shared[:4]))
    return out

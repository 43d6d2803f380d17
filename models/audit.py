"""The audit record of every audited action, each built in one function here.

A function takes what the action changed and returns the :class:`AuditRecord` (who, action, entity,
before and after state) that `store.append_audit` writes in the action's own transaction. Action names
and payload shapes live only here; undo reads them back (`ProjectStore.undo_last`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

from models.records import Respondent

__all__ = [
    "AuditRecord", "UNDOABLE", "CLUSTER_BATCHES", "CLUSTER_UNDOABLE",
    "meta_set", "respondent_corrected", "respondent_added", "file_imported", "codings_imported",
    "answer_corrected", "round_set", "codebook_saved", "file_removed",
    "coding_merged_away", "coding_decided", "coding_manual", "coding_status_scope", "memo_set", "undo",
    "member_set", "member_removed", "coder_codings_added", "coder_coding_removed", "assigned",
    "assignment_done",
    "cluster_run", "cluster_renamed", "cluster_merged", "cluster_split", "excerpt_moved",
    "excerpt_excluded", "cluster_mapped", "cluster_code_created",
]


@dataclass(frozen=True)
class AuditRecord:
    """One audit_log row before it is written: before/after are JSON-serialisable (key order kept)."""

    analyst: Optional[str]
    action: str
    entity: str
    entity_id: Any
    before: Any = None
    after: Any = None
    ref: Optional[int] = None


#: Actions an analyst can undo (the coding and memo decisions).
UNDOABLE = ("accepted", "rejected", "suggested", "recode", "manual", "memo", "set_status_scope")
#: Cluster actions whose codings (audit rows 'manual' with `ref` = the action's row) are undone with them in one step.
CLUSTER_BATCHES = ("cluster_create_code", "cluster_map")
#: Cluster review actions Kluster's "Ångra" takes back (with `cluster_map` when it coded no excerpts).
CLUSTER_UNDOABLE = ("cluster_rename", "cluster_merge", "cluster_split", "cluster_move", "cluster_exclude",
                    "cluster_include", "cluster_map", "cluster_create_code")


# ------------------------------------------------------------------ project, files, answers
def meta_set(analyst: Optional[str], key: str, before: Optional[str], value: str) -> AuditRecord:
    """A project setting (meta key) set to `value`."""
    return AuditRecord(analyst, "set_meta", "meta", key, before, value)


def respondent_corrected(analyst: Optional[str], respondent_id: int, before: Mapping[str, Any],
                         corrected: Respondent) -> AuditRecord:
    """A respondent's identity replaced by a registry entry."""
    return AuditRecord(analyst, "correct_respondent", "respondent", respondent_id, dict(before),
                       {"name": corrected.name, "type": corrected.type, "lan": corrected.lan})


def respondent_added(respondent_id: int, respondent: Respondent) -> AuditRecord:
    """A registry respondent added to the project (by an edit of the Svar table)."""
    return AuditRecord(None, "add_respondent", "respondent", respondent_id, None,
                       {"name": respondent.name, "type": respondent.type})


def file_imported(file_id: int, name: str, answers: int, replaced: bool, round_label: Optional[str]) -> AuditRecord:
    """A source file imported (or re-imported, `replaced`) into round `round_label`."""
    return AuditRecord(None, "import", "source_file", file_id, None,
                       {"name": name, "answers": answers, "replaced": replaced, "round": round_label})


def file_removed(analyst: Optional[str], file_id: int, name: str, answers: Sequence[Mapping[str, Any]],
                 decided: Sequence[Mapping[str, Any]],
                 speaks_for: Optional[Mapping[str, Sequence[str]]] = None) -> AuditRecord:
    """A source file taken out of the project by the analyst, with its answers, the decisions on them and the
    kommuner its RSS answers speak for (RSS name -> kommuner; kept here in full, so what was removed can be read
    back from the history)."""
    before = {"name": name, "answers": [dict(a) for a in answers], "decided": [dict(c) for c in decided]}
    if speaks_for:
        before["speaks_for"] = {str(k): list(v) for k, v in speaks_for.items()}
    return AuditRecord(analyst, "remove_file", "source_file", file_id, before, None)


def file_restored(analyst: Optional[str], file_id: int, name: str, counts: Mapping[str, Any],
                  removal: Optional[int] = None) -> AuditRecord:
    """A removed source file put back by "Ångra borttagning" (`ref`: the audit row of its removal), with how
    many answers, codings and decisions came back."""
    after = {"name": name, **{k: counts[k] for k in ("answers", "codings", "decided", "renumbered") if k in counts}}
    return AuditRecord(analyst, "restore_file", "source_file", file_id, None, after, removal)


def codings_imported(file_name: str, codings: int) -> AuditRecord:
    """Codings read from an exchanged project file stored as manual decisions."""
    return AuditRecord(None, "import_codings", "source_file", file_name, None, {"codings": codings})


def answer_corrected(analyst: Optional[str], answer_id: int, before: Mapping[str, Any],
                     question: Optional[str], respondent_id: Optional[int]) -> AuditRecord:
    """An answer's question and/or respondent corrected; `before` holds question_id and respondent_id."""
    state = dict(before)
    return AuditRecord(analyst, "correct_answer", "answer", answer_id, state,
                       {"question_id": question or state["question_id"],
                        "respondent_id": respondent_id or state["respondent_id"]})


def round_set(analyst: Optional[str], file_id: int, rounds_before: Sequence[str], label: str,
              moved: int) -> AuditRecord:
    """The answers of one source file moved to round `label`."""
    return AuditRecord(analyst, "set_round", "source_file", file_id, {"rounds": list(rounds_before)},
                       {"round": label, "answers": moved})


def codebook_saved(analyst: Optional[str], codebook_id: int) -> AuditRecord:
    """A new version of the project's codebook saved."""
    return AuditRecord(analyst, "save_codebook", "codebook", codebook_id)


# ------------------------------------------------------------------ codings and memos
def coding_merged_away(analyst: Optional[str], removed: Mapping[str, Any]) -> AuditRecord:
    """A coding removed because a recode moved another coding onto its code and span."""
    state = dict(removed)
    return AuditRecord(analyst, "merged_away", "coding", state["id"], state, None)


def coding_decided(analyst: Optional[str], coding_id: int, before: Mapping[str, Any], after: Mapping[str, Any],
                   decision: str, replaced: Optional[Mapping[str, Any]] = None) -> AuditRecord:
    """A coding accepted, rejected, reset or recoded; a recode keeps the coding it `replaced` for undo."""
    old, new = dict(before), dict(after)
    action = "recode" if new["code_id"] != old["code_id"] else decision
    if replaced is not None:
        new["replaced"] = dict(replaced)
    return AuditRecord(analyst, action, "coding", coding_id, old, new)


def coding_manual(analyst: Optional[str], coding_id: int, before: Optional[Mapping[str, Any]],
                  after: Mapping[str, Any], batch: Optional[int] = None) -> AuditRecord:
    """A span coded by hand (or from a cluster); `before` is the coding it turned manual, if any. `batch` is
    the audit row of the cluster action that coded it (`ref`): one undo takes back the whole batch."""
    return AuditRecord(analyst, "manual", "coding", coding_id, None if before is None else dict(before), dict(after),
                       ref=batch)


def coding_status_scope(analyst: Optional[str], coding_id: int, before: Mapping[str, Any],
                        after: Mapping[str, Any]) -> AuditRecord:
    """A coding's status and/or scope corrected."""
    return AuditRecord(analyst, "set_status_scope", "coding", coding_id, dict(before), dict(after))


def memo_set(analyst: Optional[str], target_type: str, target_id: str, before: Optional[str],
             text: str) -> AuditRecord:
    """The memo on a coding, code or answer written (empty `text`: cleared)."""
    return AuditRecord(analyst, "memo", target_type, target_id, before, text)


def undo(analyst: Optional[str], undone: Mapping[str, Any], before: Any, after: Any) -> AuditRecord:
    """The undo of audit row `undone` (whose decoded states are `before`/`after`): the states swap."""
    return AuditRecord(analyst, "undo", undone["entity"], undone["entity_id"], after, before, ref=undone["id"])


# ------------------------------------------------------------------ members and team coding
def member_set(added_by: Optional[str], address: str, role_before: Optional[str], role: str) -> AuditRecord:
    """A member added, or a member's role changed."""
    return AuditRecord(added_by, "member", "member", address, role_before, role)


def member_removed(removed_by: Optional[str], address: str, role: str) -> AuditRecord:
    """A member removed from the project."""
    return AuditRecord(removed_by, "remove_member", "member", address, role, None)


def coder_codings_added(analyst: Optional[str], added: int, origin: str) -> AuditRecord:
    """Coders' own codings stored (`added` new ones)."""
    return AuditRecord(analyst, "coder_codings", "coder_coding", None, None, {"added": added, "origin": origin})


def coder_coding_removed(analyst: Optional[str], coding_id: int, row: Mapping[str, Any]) -> AuditRecord:
    """One of a coder's own codings deleted."""
    return AuditRecord(analyst, "remove_coder_coding", "coder_coding", coding_id, dict(row), None)


def assigned(analyst: Optional[str], sample: str, assignments: int, blind: bool) -> AuditRecord:
    """Answers of sample `sample` assigned to coders for double coding."""
    return AuditRecord(analyst, "assign", "sample", sample, None, {"assignments": assignments, "blind": bool(blind)})


def assignment_done(coder: str, answer_id: int, done: bool) -> AuditRecord:
    """An assigned answer marked as coded (or not) by its coder."""
    return AuditRecord(coder, "assignment_done", "answer", answer_id, None, {"coder": coder, "done": bool(done)})


# ------------------------------------------------------------------ clusters
def cluster_run(analyst: Optional[str], run_id: int, params: Any, summary: Mapping[str, Any]) -> AuditRecord:
    """A clustering run stored with its parameters and summary."""
    return AuditRecord(analyst, "cluster_run", "cluster_run", run_id, None, {"params": params, "summary": summary})


def cluster_renamed(analyst: Optional[str], cluster_id: int, old: Optional[str], new: str) -> AuditRecord:
    """A cluster renamed."""
    return AuditRecord(analyst, "cluster_rename", "cluster", cluster_id, {"name": old}, {"name": new})


def cluster_merged(analyst: Optional[str], target: int, cluster_ids: Sequence[int], old_name: Optional[str],
                   members: int, name: str, top_terms: Any = None) -> AuditRecord:
    """Clusters merged into `target` (`members` excerpts moved), named `name`; `top_terms` are the target's
    typical words before (the merge replaces them by the merged clusters')."""
    before = {"clusters": cluster_ids, "name": old_name}
    if top_terms is not None:
        before["top_terms"] = top_terms
    return AuditRecord(analyst, "cluster_merge", "cluster", target, before,
                       {"into": target, "members": members, "name": name})


def cluster_split(analyst: Optional[str], cluster_id: int, label: Any, size: int, parts: Sequence[int],
                  moved_members: Mapping[int, int], top_terms: Any = None) -> AuditRecord:
    """A cluster split into `parts`; `moved_members` maps member id → its new cluster."""
    return AuditRecord(analyst, "cluster_split", "cluster", cluster_id,
                       {"label": label, "size": size, "top_terms": top_terms},
                       {"parts": list(parts), "moved_members": moved_members})


def excerpt_moved(analyst: Optional[str], member_id: int, from_cluster: int, was_moved: int,
                  to_cluster: int, ref: Optional[int] = None) -> AuditRecord:
    """An excerpt moved by hand to another cluster of the same run (`ref`: the first row of one move of several)."""
    return AuditRecord(analyst, "cluster_move", "cluster_member", member_id,
                       {"cluster_id": from_cluster, "moved": was_moved}, {"cluster_id": to_cluster, "moved": 1},
                       ref=ref)


def excerpt_excluded(analyst: Optional[str], member_id: int, was_excluded: int, excluded: bool,
                     ref: Optional[int] = None) -> AuditRecord:
    """An excerpt excluded from (or included again in) its cluster (`ref` as for :func:`excerpt_moved`)."""
    return AuditRecord(analyst, "cluster_exclude" if excluded else "cluster_include", "cluster_member", member_id,
                       {"excluded": was_excluded}, {"excluded": int(bool(excluded))}, ref=ref)


def cluster_mapped(analyst: Optional[str], cluster_id: int, old_code: Optional[str],
                   code_id: Optional[str]) -> AuditRecord:
    """A cluster mapped to a code of the codebook (None: unmapped)."""
    return AuditRecord(analyst, "cluster_map", "cluster", cluster_id, {"code_id": old_code}, {"code_id": code_id})


def cluster_code_created(analyst: Optional[str], cluster_id: int, old_code: Optional[str], code_id: str,
                         code: Mapping[str, Any]) -> AuditRecord:
    """A new code made from a cluster (`code` as added to the codebook) and the cluster mapped to it."""
    return AuditRecord(analyst, "cluster_create_code", "cluster", cluster_id, {"code_id": old_code},
                       {"code_id": code_id, "code": code})

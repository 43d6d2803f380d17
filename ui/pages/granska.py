"""Granska: review one whole answer at a time (or the suggestion queue), code by hand, memos, undo, history.

Every decision is written with `store.decide` / `add_manual_coding` / `set_coding_status_scope` /
`set_memo`, which return only after COMMIT; the page shows a decision as done only after that.
"""
from __future__ import annotations

import json
from collections import Counter

import pandas as pd
import streamlit as st

from models import audit
from models.round_views import rounds as project_rounds
from models.store import StoreError
from ui import cache, guide, highlight, learning, review_answer, shell, texts
from ui.filters import TYPE_SV
from ui.safe import marked, md, short, show, table_with_full_text

QUEUE_SIZE = 10
MODES = ["Ett svar i taget", "Förslag ett och ett"]


def _flash(message: str, kind: str = "success") -> None:
    st.session_state["granska_flash"] = (kind, message)


def _codings_excerpts(store, rows: list[dict]) -> dict[int, str]:
    """coding id -> its excerpt »…« for audit rows (from the row's own before/after state)."""
    states = {}
    for r in rows:
        state = r["after"] if isinstance(r["after"], dict) else r["before"]
        if r["entity"] == "coding" and isinstance(state, dict) and "answer_id" in state:
            states[int(r["entity_id"])] = state
    answers = {a.id: a.text for a in store.answers(sorted({int(s["answer_id"]) for s in states.values()}))}
    out = {}
    for cid, s in states.items():
        text = answers.get(int(s["answer_id"]), "")
        start = s.get("evidence_start") if s.get("evidence_start") is not None else s.get("start")
        end = s.get("evidence_end") if s.get("evidence_end") is not None else s.get("end")
        if text and start is not None and end is not None:
            out[cid] = texts.excerpt_of({"text": text[int(start):int(end)]})
    return out


def _undo(path: str, analyst: str, labels: dict) -> None:
    store = cache.get_store(path)
    try:
        row = store.undo_last(analyst)
    except StoreError as exc:
        _flash(str(exc), "error")
        return
    if row is None:
        _flash("Det finns inget beslut av dig att ångra.", "info")
        return
    row = {**row, "before": texts_load(row["before"]), "after": texts_load(row["after"])}
    message = f"Ångrade: du {texts.audit_phrase(row, labels, _codings_excerpts(store, [row]))}."
    n = row.get("undone_codings")
    if n is not None:  # a cluster action and its codings, undone in one step
        message += (f" Klustrets {n} kodningar är borttagna"
                    + (" och koden är borttagen ur kodboken." if row.get("code_removed")
                       else " och klustret har sin tidigare koppling."))
    _flash(message)


def texts_load(value):
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _save_memo(path: str, target_type: str, target_id: str, key: str, analyst: str) -> None:
    cache.get_store(path).set_memo(target_type, target_id, st.session_state.get(key, ""), analyst)
    _flash("Memot är sparat.")


def _queue(store, codes: pd.DataFrame, analyst: str | None, code_filter: str | None, include_negated: bool,
           round_label: str | None = None) -> None:
    """The per-suggestion queue: the least certain suggestions, one card each (of one round when chosen)."""
    labels = cache.code_labels(store)
    total, top = cache.review_queue(store, code_filter, include_negated, QUEUE_SIZE, round_label)
    st.subheader(f"Förslag att granska ({total})")
    if top.empty:
        st.info("Inga förslag att granska med det här urvalet.")
        return
    st.caption("Lägst säkerhet först. Kortkommandon för det översta förslaget: G = godkänn, A = avvisa.")
    options = list(codes["code_id"])
    wordings = cache.answer_question_texts(store)  # each answer's question as asked in its round
    texts_by_id = {a.id: a.text for a in store.answers(top["answer_id"].astype(int).unique().tolist())}
    for i, (_, row) in enumerate(top.iterrows()):
        cid = int(row["coding_id"])
        with st.container(border=True, key=f"card_{cid}"):
            show(f"{row['respondent']} ({TYPE_SV.get(row['respondent_type'], '?')}) · "
                 f"{texts.question_label(row['question_id'], {row['question_id']: wordings.get(int(row['answer_id']), '')})} · förslag: {row['code_label']} · "
                 f"säkerhet {texts.decimal(row['confidence'])} · status {row['status']} · "
                 f"omfattning {row['scope']}" + (" · NEGERAT" if row["negated"] else ""))
            start = int(row["start"])
            show(marked(str(row["excerpt"]), int(row["evidence_start"]) - start, int(row["evidence_end"]) - start))
            b12, b3, b4 = st.columns([2, 2, 1])
            b1 = b2 = b12.container(horizontal=True)  # at 1024 px neither button is cut
            b1.button("Godkänn", key=f"acc_{cid}", type="primary", disabled=not analyst,
                      on_click=review_answer.decide, args=(str(store.path), cid, "accepted", analyst, labels),
                      shortcut="G" if i == 0 else None)
            b2.button("Avvisa", key=f"rej_{cid}", disabled=not analyst,
                      on_click=review_answer.decide, args=(str(store.path), cid, "rejected", analyst, labels),
                      shortcut="A" if i == 0 else None)
            b3.selectbox("Annan kod", options, index=options.index(row["code_id"]) if row["code_id"] in options else 0,
                         format_func=lambda c: labels.get(c, c), key=f"code_{cid}", label_visibility="collapsed",
                         placeholder="Välj")
            b4.button("Byt kod", key=f"recode_{cid}", disabled=not analyst,
                      on_click=review_answer.decide,
                      args=(str(store.path), cid, "accepted", analyst, labels, f"code_{cid}"))
            with st.expander("Hela svaret, memo och historik"):
                show(marked(texts_by_id.get(int(row["answer_id"]), ""), start, int(row["end"])))
                memo_key = f"memo_{cid}"
                st.text_area("Memo om utdraget", value=row["memo"] or "", key=memo_key)
                st.button("Spara memo", key=f"memo_save_{cid}", disabled=not analyst,
                          on_click=_save_memo, args=(str(store.path), "coding", str(cid), memo_key, analyst))
                _history(store, cid, labels)


def _recent_rows(rows: list[dict], labels: dict) -> list[dict]:
    """The decisions to list, newest first. A cluster action that coded the cluster's excerpts ("Skapa kod av
    klustret": one 'manual' row per excerpt, `ref` = the action) is one line with the number of excerpts, and
    so is its undo."""
    heads = {r["id"]: r for r in rows if r["action"] in audit.CLUSTER_BATCHES}
    in_batch = {r["id"]: r["ref"] for r in rows if r["action"] == "manual" and r["ref"] in heads}
    counts = Counter(in_batch.values())
    out = []
    for r in rows:
        if r["id"] in in_batch or (r["action"] == "undo" and r["ref"] in in_batch):
            continue
        head = heads.get(r["id"]) or (heads.get(r["ref"]) if r["action"] == "undo" else None)
        if head is not None and counts[head["id"]]:
            phrase = f"{texts.audit_phrase(head, labels)} ({counts[head['id']]} utdrag kodade)"
            out.append({**r, "phrase": phrase if r["action"] != "undo" else f"ångrade: {phrase}"})
        elif r["entity"] in ("coding", "code") and r["action"] != "merged_away":
            out.append(r)
    return out


def _audit_table(store, rows: list, labels: dict, key: str) -> None:
    """Audit rows as a table: time, analyst and the event in Swedish (a selected row shows the whole event)."""
    excerpts = _codings_excerpts(store, rows)
    table_with_full_text(pd.DataFrame({
        "tid": [texts.local_time(r["at"]) for r in rows],
        "analytiker": [r["analyst"] or "" for r in rows],
        "händelse": [r.get("phrase") or texts.audit_phrase(r, labels, excerpts) for r in rows],
    }), key=key, full=("händelse",), hide_index=True, width="stretch")


def _history(store, coding_id: int, labels: dict) -> None:
    rows = store.audit(entity="coding", entity_id=coding_id)
    if not rows:
        st.caption("Ingen historik ännu.")
        return
    _audit_table(store, rows, labels, key=f"granska_hist_{coding_id}")


def _manual(store, codes: pd.DataFrame, analyst: str | None) -> None:
    st.subheader("Koda för hand")
    answers = cache.answer_frame(store)
    answers = answers[answers["text"].str.strip() != ""]
    if answers.empty:
        st.info("Inga svar att koda ännu.")
        return
    labels = dict(zip(codes["code_id"], codes["code_label"]))
    wordings = cache.answer_question_texts(store)  # each answer's question as asked in its round
    c1, c2 = st.columns(2)
    respondent = c1.selectbox("Respondent", sorted(answers["respondent"].unique()), key="manual_resp",
                              placeholder="Välj")
    mine = answers[answers["respondent"] == respondent]
    answer_id = c2.selectbox("Svar", list(mine["answer_id"]), key="manual_answer",
                             format_func=lambda i: texts.question_label(
                                 mine.loc[mine["answer_id"] == i, "question"].iloc[0],
                                 {mine.loc[mine["answer_id"] == i, "question"].iloc[0]: wordings.get(int(i), "")}),
                             placeholder="Välj")
    text = str(mine.loc[mine["answer_id"] == answer_id, "text"].iloc[0])
    st.code(text, language=None, wrap_lines=True)
    spans = cache.answer_segments(store, int(answer_id), text)
    choice = st.selectbox("Mening eller listpunkt", range(len(spans)), key=f"manual_seg_{answer_id}",
                          format_func=lambda k: short(text[spans[k][0]:spans[k][1]], 120), placeholder="Välj")
    selected = st.text_input("… eller klistra in exakt de ord du vill koda (kopiera från rutan ovan)",
                             key=f"manual_span_{answer_id}")
    code_id = st.selectbox("Kod", list(codes["code_id"]), format_func=lambda c: labels.get(c, c), key="manual_code",
                           placeholder="Välj")
    if st.button("Lägg till kodningen", key="manual_add", disabled=not analyst):
        start, end = spans[choice]
        if selected.strip():
            found = review_answer.highlight.locate(text, selected)
            if found is None:
                st.error("De inklistrade orden finns inte i svaret; kopiera dem exakt.")
                return
            start, end = found
        try:
            store.add_manual_coding(int(answer_id), code_id, start, end, analyst)
        except StoreError as exc:
            st.error(md(exc))
        else:
            learning.note_decision(store)
            st.success(highlight.escape(
                f"Sparat: {labels.get(code_id, code_id)} {texts.excerpt_of({'text': text[start:end]})}."))


def _code_memo(store, codes: pd.DataFrame, analyst: str | None) -> None:
    st.subheader("Memo om en kod")
    labels = dict(zip(codes["code_id"], codes["code_label"]))
    code_id = st.selectbox("Kod", list(codes["code_id"]), format_func=lambda c: labels.get(c, c), key="memo_code",
                           placeholder="Välj")
    key = f"code_memo_{code_id}"
    st.text_area("Memo", value=store.memo("code", code_id) or "", key=key)
    st.button("Spara memo om koden", key="code_memo_save", disabled=not analyst,
              on_click=_save_memo, args=(str(store.path), "code", code_id, key, analyst))


def _recent(store, labels: dict) -> None:
    st.subheader("Senaste beslut")
    rows = _recent_rows(store.audit(limit=2000), labels)[:30]
    if not rows:
        st.caption("Inga beslut ännu.")
        return
    _audit_table(store, rows, labels, key="granska_recent")


def render() -> None:
    st.title("Granska")
    store = shell.require_store()
    if guide.empty_project(store, "svaren med kodförslag att granska"):
        return
    st.caption(learning.caption(store))
    analyst = shell.require_analyst()
    flash = st.session_state.pop("granska_flash", None)
    if flash:  # the message quotes answer text: escaped, so it shows as typed
        getattr(st, flash[0])(highlight.escape(flash[1]))
    codes = cache.code_frame(store)
    if codes.empty:
        st.info("Kodboken är tom. Lägg till koder på sidan Kodbok.")
        return
    labels = cache.code_labels(store)  # a code taken out of the codebook keeps its name in history and undo
    st.button("Ångra mitt senaste beslut", key="undo", disabled=not analyst, shortcut="U",
              on_click=_undo, args=(str(store.path), analyst, labels))
    tab1, tab2, tab3 = st.tabs(["Granska", "Koda för hand och memo", "Historik"])
    with tab1:
        c1, c2, c3 = st.columns([2, 2, 1])
        mode = c1.radio("Visa", MODES, horizontal=True, key="granska_mode")
        code_filter = c2.selectbox("Förslag för", ["(alla koder)"] + list(codes["code_id"]),
                                   format_func=lambda c: labels.get(c, c), key="granska_kodfilter",
                                   on_change=review_answer.reset_current, placeholder="Välj")
        include_negated = c3.toggle("Ta med negerade", value=True, key="granska_neg",
                                    on_change=review_answer.reset_current)
        chosen = None if code_filter == "(alla koder)" else code_filter
        if mode == MODES[0]:
            review_answer.render(store, codes, analyst, chosen, include_negated)
        else:
            labels_r = [r.label for r in project_rounds(store)]
            round_label = st.selectbox(
                "Omgång", [None] + labels_r, key="granska_omgang",
                format_func=lambda r: "Alla omgångar" if r is None else (r or "(ingen omgång)"), placeholder="Välj",
            ) if len(labels_r) > 1 else None
            _queue(store, codes, analyst, chosen, include_negated, round_label)
    with tab2:
        _manual(store, codes, analyst)
        st.divider()
        _code_memo(store, codes, analyst)
    with tab3:
        _recent(store, labels)


render()

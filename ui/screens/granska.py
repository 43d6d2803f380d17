"""Granska: review suggestions (lowest confidence first), code by hand, memos, undo and history.

Every decision is written with `store.decide` / `add_manual_coding` / `set_memo`, which
return only after COMMIT; the page shows a decision as done only after that.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from models.records import DECISION_LABELS_SV
from models.store import StoreError
from ui import cache, learning, shell
from ui.filters import TYPE_SV
from ui.safe import marked, short, show

QUEUE_SIZE = 10
ACTION_SV = {"accepted": "godkände", "rejected": "avvisade", "recode": "bytte kod på", "manual": "kodade för hand",
             "memo": "skrev memo på", "suggested": "återställde", "undo": "ångrade"}


def _flash(message: str, kind: str = "success") -> None:
    st.session_state["granska_flash"] = (kind, message)


def _decide(path: str, coding_id: int, decision: str, analyst: str, code_key: str | None = None) -> None:
    store = cache.get_store(path)
    code_id = st.session_state.get(code_key) if code_key else None
    try:
        coding = store.decide(coding_id, decision, analyst, code_id=code_id)
    except StoreError as exc:
        _flash(str(exc), "error")
        return
    learning.note_decision(store)
    verb = {"accepted": "Godkänd", "rejected": "Avvisad"}.get(decision, "Sparad")
    if code_id:
        verb = "Koden bytt och godkänd"
    _flash(f"{verb}: kodning {coding.id} ({coding.code_id}). Sparat.")


def _undo(path: str, analyst: str) -> None:
    row = cache.get_store(path).undo_last(analyst)
    if row is None:
        _flash("Det finns inget beslut av dig att ångra.", "info")
    else:
        _flash(f"Ångrade: du {ACTION_SV.get(row['action'], row['action'])} {row['entity']} {row['entity_id']}.")


def _save_memo(path: str, target_type: str, target_id: str, key: str, analyst: str) -> None:
    cache.get_store(path).set_memo(target_type, target_id, st.session_state.get(key, ""), analyst)
    _flash("Memot är sparat.")


def _queue(store, codes: pd.DataFrame, analyst: str | None) -> None:
    labels = dict(zip(codes["code_id"], codes["code_label"]))
    c1, c2 = st.columns([2, 1])
    code_filter = c1.selectbox("Visa förslag för", ["(alla koder)"] + list(codes["code_id"]),
                               format_func=lambda c: labels.get(c, c), key="granska_kodfilter")
    include_negated = c2.toggle("Ta med negerade", value=True, key="granska_neg")
    total, top = cache.review_queue(store, None if code_filter == "(alla koder)" else code_filter,
                                    include_negated, QUEUE_SIZE)
    st.subheader(f"Förslag att granska ({total})")
    if top.empty:
        st.info("Inga förslag att granska med det här urvalet.")
        return
    st.caption("Lägst konfidens först. Kortkommandon för det översta förslaget: G = godkänn, A = avvisa.")
    options = list(codes["code_id"])
    texts = {a.id: a.text for a in store.answers(top["answer_id"].astype(int).unique().tolist())}
    for i, (_, row) in enumerate(top.iterrows()):
        cid = int(row["coding_id"])
        with st.container(border=True, key=f"card_{cid}"):
            show(f"{row['respondent']} ({TYPE_SV.get(row['respondent_type'], '?')}) · fråga {row['question_id']} · "
                 f"förslag: {row['code_label']} · konfidens {row['confidence']:.2f} · status {row['status']} · "
                 f"omfattning {row['scope']}" + (" · NEGERAD" if row["negated"] else ""))
            start = int(row["start"])
            show(marked(str(row["excerpt"]), int(row["evidence_start"]) - start, int(row["evidence_end"]) - start))
            b1, b2, b3, b4 = st.columns([1, 1, 2, 1])
            b1.button("Godkänn", key=f"acc_{cid}", type="primary", disabled=not analyst,
                      on_click=_decide, args=(str(store.path), cid, "accepted", analyst),
                      shortcut="G" if i == 0 else None)
            b2.button("Avvisa", key=f"rej_{cid}", disabled=not analyst,
                      on_click=_decide, args=(str(store.path), cid, "rejected", analyst),
                      shortcut="A" if i == 0 else None)
            b3.selectbox("Annan kod", options, index=options.index(row["code_id"]) if row["code_id"] in options else 0,
                         format_func=lambda c: labels.get(c, c), key=f"code_{cid}", label_visibility="collapsed")
            b4.button("Byt kod", key=f"recode_{cid}", disabled=not analyst,
                      on_click=_decide, args=(str(store.path), cid, "accepted", analyst, f"code_{cid}"))
            with st.expander("Hela svaret, memo och historik"):
                show(marked(texts.get(int(row["answer_id"]), ""), start, int(row["end"])))
                memo_key = f"memo_{cid}"
                st.text_area("Memo om utdraget", value=row["memo"] or "", key=memo_key)
                st.button("Spara memo", key=f"memo_save_{cid}", disabled=not analyst,
                          on_click=_save_memo, args=(str(store.path), "coding", str(cid), memo_key, analyst))
                _history(store, cid)


def _history(store, coding_id: int) -> None:
    rows = store.audit(entity="coding", entity_id=coding_id)
    if not rows:
        st.caption("Ingen historik ännu.")
        return
    st.dataframe(pd.DataFrame({
        "tid": [r["at"] for r in rows],
        "analytiker": [r["analyst"] or "" for r in rows],
        "händelse": [ACTION_SV.get(r["action"], r["action"]) for r in rows],
        "kod": [(r["after"] or {}).get("code_id", "") if isinstance(r["after"], dict) else "" for r in rows],
        "beslut": [DECISION_LABELS_SV.get((r["after"] or {}).get("decision", ""), "")
                   if isinstance(r["after"], dict) else "" for r in rows],
    }), hide_index=True, width="stretch")


def _manual(store, codes: pd.DataFrame, analyst: str | None) -> None:
    st.subheader("Koda för hand")
    answers = cache.answer_frame(store)
    answers = answers[answers["text"].str.strip() != ""]
    if answers.empty:
        st.info("Inga svar att koda ännu.")
        return
    labels = dict(zip(codes["code_id"], codes["code_label"]))
    c1, c2 = st.columns(2)
    respondent = c1.selectbox("Respondent", sorted(answers["respondent"].unique()), key="manual_resp")
    mine = answers[answers["respondent"] == respondent]
    answer_id = c2.selectbox("Svar", list(mine["answer_id"]), key="manual_answer",
                             format_func=lambda i: f"fråga {mine.loc[mine['answer_id'] == i, 'question'].iloc[0]}"
                                                   f" (svar {i})")
    text = str(mine.loc[mine["answer_id"] == answer_id, "text"].iloc[0])
    st.code(text, language=None, wrap_lines=True)
    spans = cache.answer_segments(store, int(answer_id), text)
    choice = st.selectbox("Mening eller listpunkt", range(len(spans)), key=f"manual_seg_{answer_id}",
                          format_func=lambda k: short(text[spans[k][0]:spans[k][1]], 120))
    selected = st.text_input("… eller klistra in exakt de ord du vill koda (kopiera från rutan ovan)",
                             key=f"manual_span_{answer_id}")
    code_id = st.selectbox("Kod", list(codes["code_id"]), format_func=lambda c: labels.get(c, c), key="manual_code")
    if st.button("Lägg till kodningen", key="manual_add", disabled=not analyst):
        start, end = spans[choice]
        if selected.strip():
            pos = text.find(selected.strip())
            if pos < 0:
                st.error("De inklistrade orden finns inte i svaret; kopiera dem exakt.")
                return
            start, end = pos, pos + len(selected.strip())
        try:
            coding_id = store.add_manual_coding(int(answer_id), code_id, start, end, analyst)
        except StoreError as exc:
            st.error(str(exc))
        else:
            learning.note_decision(store)
            st.success(f"Sparat: kodning {coding_id} ({labels.get(code_id, code_id)}).")


def _code_memo(store, codes: pd.DataFrame, analyst: str | None) -> None:
    st.subheader("Memo om en kod")
    labels = dict(zip(codes["code_id"], codes["code_label"]))
    code_id = st.selectbox("Kod", list(codes["code_id"]), format_func=lambda c: labels.get(c, c), key="memo_code")
    key = f"code_memo_{code_id}"
    st.text_area("Memo", value=store.memo("code", code_id) or "", key=key)
    st.button("Spara memo om koden", key="code_memo_save", disabled=not analyst,
              on_click=_save_memo, args=(str(store.path), "code", code_id, key, analyst))


def _recent(store) -> None:
    st.subheader("Senaste beslut")
    rows = [r for r in store.audit(limit=200) if r["entity"] in ("coding", "audit_log", "code")][:30]
    if not rows:
        st.caption("Inga beslut ännu.")
        return
    st.dataframe(pd.DataFrame({
        "tid": [r["at"] for r in rows],
        "analytiker": [r["analyst"] or "" for r in rows],
        "händelse": [ACTION_SV.get(r["action"], r["action"]) for r in rows],
        "objekt": [f"{r['entity']} {r['entity_id']}" for r in rows],
    }), hide_index=True, width="stretch")


def render() -> None:
    st.title("Granska")
    store = shell.require_store()
    st.caption(learning.caption(store))
    analyst = shell.require_analyst()
    flash = st.session_state.pop("granska_flash", None)
    if flash:
        getattr(st, flash[0])(flash[1])
    st.button("Ångra mitt senaste beslut", key="undo", disabled=not analyst, shortcut="U",
              on_click=_undo, args=(str(store.path), analyst))
    codes = cache.code_frame(store)
    if codes.empty:
        st.info("Kodboken är tom. Lägg till koder på sidan Kodbok.")
        return
    tab1, tab2, tab3 = st.tabs(["Förslag", "Koda för hand och memo", "Historik"])
    with tab1:
        _queue(store, codes, analyst)
    with tab2:
        _manual(store, codes, analyst)
        st.divider()
        _code_memo(store, codes, analyst)
    with tab3:
        _recent(store)

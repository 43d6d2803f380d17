"""Granska, one whole answer at a time: the answer with every code's evidence in the code's colour,
each code a chip to accept or reject, status and scope correctable, a code added by marking a
passage, the next answer by the model's uncertainty, progress and keyboard shortcuts.
"""
from __future__ import annotations

from typing import Optional

import pandas as pd
import streamlit as st

from models.records import DECISION_LABELS_SV, Coding
from models.store import StoreError
from ui import cache, highlight, learning, texts
from ui.filters import TYPE_SV
from ui.safe import short, table_with_full_text

STATUSES = ["planerad", "pågående", "genomförd", "okänd"]
SCOPES = ["projekt/pilot", "breddinförd", "okänd"]
CURRENT = "granska_current"
VISITED = "granska_visited"


def flash(message: str, kind: str = "success") -> None:
    st.session_state["granska_flash"] = (kind, message)


def evidence(c: Coding, answer_text: str, n: int = 60) -> str:
    """The coding's evidence words as »…« (the excerpt when the evidence is missing)."""
    start, end = (c.evidence_start, c.evidence_end) if c.evidence_start is not None else (c.start, c.end)
    return texts.excerpt_of({"text": answer_text[int(start):int(end)]}, n)


def _labels(codes: pd.DataFrame) -> dict[str, str]:
    return dict(zip(codes["code_id"], codes["code_label"]))


# ------------------------------------------------------------------ callbacks
DECIDED_SV = {"accepted": "godkänt", "rejected": "avvisat", "manual": "kodat"}


def decide(path: str, coding_id: int, decision: str, analyst: str, labels: dict, code_key: Optional[str] = None):
    store = cache.get_store(path)
    code_id = st.session_state.get(code_key) if code_key else None
    before = store.coding(coding_id)  # a colleague may have decided it since this page was drawn
    try:
        c = store.decide(coding_id, decision, analyst, code_id=code_id)
    except StoreError as exc:
        flash(str(exc), "error")
        return
    learning.note_decision(store)
    verb = {"accepted": "Godkänd", "rejected": "Avvisad"}.get(decision, "Sparad")
    if code_id:
        verb = "Koden bytt och godkänd"
    message = f"{verb}: {labels.get(c.code_id, c.code_id)} {evidence(c, c_answer_text(store, c))}. Sparat."
    if before is not None and before.decision in DECIDED_SV and before.analyst and before.analyst != analyst:
        when = f" {texts.local_time(before.decided_at)}" if before.decided_at else ""
        flash(f"{message} Obs: {before.analyst} hade {DECIDED_SV[before.decision]} koden{when}; ditt beslut "
              "ersätter det (båda står i historiken).", "warning")
        return
    flash(message)


def c_answer_text(store, c: Coding) -> str:
    answers = store.answers([c.answer_id])
    return answers[0].text if answers else ""


def _status_scope(path: str, coding_id: int, analyst: str, labels: dict) -> None:
    store = cache.get_store(path)
    try:
        c = store.set_coding_status_scope(coding_id, analyst, status=st.session_state.get(f"status_{coding_id}"),
                                          scope=st.session_state.get(f"scope_{coding_id}"))
    except StoreError as exc:
        flash(str(exc), "error")
        return
    flash(f"Ändrat: {labels.get(c.code_id, c.code_id)} är nu {c.status}, {c.scope}. Sparat.")


def _add(path: str, answer_id: int, text: str, spans: list, analyst: str, labels: dict) -> None:
    store = cache.get_store(path)
    passage = st.session_state.get(f"add_span_{answer_id}", "")
    if passage.strip():
        found = highlight.locate(text, passage)
        if found is None:
            flash("Orden du skrev finns inte i svaret. Kopiera dem från svarstexten eller välj meningar.", "error")
            return
        start, end = found
    else:
        first = int(st.session_state.get(f"add_from_{answer_id}", 0))
        last = int(st.session_state.get(f"add_to_{answer_id}", first))
        first, last = min(first, last), max(first, last)
        start, end = spans[first][0], spans[last][1]
    code_id = st.session_state.get(f"add_code_{answer_id}")
    try:
        store.add_manual_coding(answer_id, code_id, start, end, analyst)
        learning.note_decision(store)
    except StoreError as exc:
        flash(str(exc), "error")
        return
    st.session_state[f"add_span_{answer_id}"] = ""
    flash(f"Tillagd: {labels.get(code_id, code_id)} {texts.excerpt_of({'text': text[start:end]})}. Sparat.")


def _go(answer_id: Optional[int], push: Optional[int]) -> None:
    if push is not None:
        st.session_state.setdefault(VISITED, []).append(push)
    st.session_state[CURRENT] = answer_id


def _back() -> None:
    visited = st.session_state.get(VISITED) or []
    if visited:
        st.session_state[CURRENT] = visited.pop()


def reset_current() -> None:
    """Start the answer queue over (after the filter changed)."""
    st.session_state.pop(CURRENT, None)
    st.session_state.pop(VISITED, None)


# ------------------------------------------------------------------ view
def _chip(store, c: Coding, text: str, labels: dict, colours: dict, analyst: Optional[str], first_open: bool,
          options: list[str]) -> None:
    path = str(store.path)
    with st.container(border=True, key=f"chip_{c.id}"):
        head, meta = st.columns([2, 3])
        head.markdown(highlight.chip(labels.get(c.code_id, "okänd kod"), colours.get(c.code_id, "gray")))
        who = f" av {c.analyst}" if c.analyst and c.decision != "suggested" else ""
        when = f" {texts.local_time(c.decided_at)}" if c.decided_at and c.decision != "suggested" else ""
        meta.text(f"{DECISION_LABELS_SV.get(c.decision, c.decision)}{who}{when} · säkerhet "
                  f"{texts.decimal(c.confidence)}" + (" · NEGERAT omnämnande" if c.negated else ""))
        st.text(f"Belägg: {evidence(c, text, 120)}")
        b12, b3, b4 = st.columns([3, 2, 2])  # the two buttons share a column: at 1024 px neither is cut ("Godk…")
        b1 = b2 = b12.container(horizontal=True)
        b1.button("Godkänn", key=f"acc_{c.id}", type="primary" if c.decision == "suggested" else "secondary",
                  disabled=not analyst or c.decision in ("accepted", "manual"),
                  on_click=decide, args=(path, c.id, "accepted", analyst, labels),
                  shortcut="G" if first_open else None)
        b2.button("Avvisa", key=f"rej_{c.id}", disabled=not analyst or c.decision == "rejected",
                  on_click=decide, args=(path, c.id, "rejected", analyst, labels),
                  shortcut="A" if first_open else None)
        status = c.status if c.status in STATUSES else "okänd"
        scope = c.scope if c.scope in SCOPES else ("projekt/pilot" if c.scope == "projekt" else "okänd")
        b3.selectbox("Status", STATUSES, index=STATUSES.index(status), key=f"status_{c.id}",
                     disabled=not analyst, on_change=_status_scope, args=(path, c.id, analyst, labels),
                     placeholder="Välj")
        b4.selectbox("Omfattning", SCOPES, index=SCOPES.index(scope), key=f"scope_{c.id}",
                     disabled=not analyst, on_change=_status_scope, args=(path, c.id, analyst, labels),
                     placeholder="Välj")
        r1, r2 = st.columns([3, 1])
        r1.selectbox("Annan kod", options, index=options.index(c.code_id) if c.code_id in options else 0,
                     format_func=lambda k: labels.get(k, k), key=f"code_{c.id}", label_visibility="collapsed",
                     placeholder="Välj")
        r2.button("Byt kod", key=f"recode_{c.id}", disabled=not analyst,
                  on_click=decide, args=(path, c.id, "accepted", analyst, labels, f"code_{c.id}"))


def _add_form(store, answer_id: int, text: str, codes: pd.DataFrame, analyst: Optional[str]) -> None:
    labels = _labels(codes)
    with st.container(border=True, key=f"add_box_{answer_id}"):
        st.markdown("**Lägg till en kod på en del av svaret**")
        st.caption("Markera genom att välja första och sista mening – eller skriv eller klistra in orden.")
        spans = cache.answer_segments(store, answer_id, text)
        numbered = list(range(len(spans)))
        c1, c2 = st.columns(2)
        c1.selectbox("Från mening", numbered, key=f"add_from_{answer_id}",
                     format_func=lambda k: f"{k + 1}. {short(text[spans[k][0]:spans[k][1]], 70)}", placeholder="Välj")
        first = int(st.session_state.get(f"add_from_{answer_id}", 0))
        c2.selectbox("Till mening", numbered, index=first, key=f"add_to_{answer_id}",
                     format_func=lambda k: f"{k + 1}. {short(text[spans[k][0]:spans[k][1]], 70)}", placeholder="Välj")
        st.text_input("… eller orden du vill koda (ordagrant ur svaret)", key=f"add_span_{answer_id}")
        c3, c4 = st.columns([3, 1])
        c3.selectbox("Kod", list(codes["code_id"]), format_func=lambda k: labels.get(k, k), key=f"add_code_{answer_id}",
                     placeholder="Välj")
        c4.button("Lägg till kod", key=f"add_btn_{answer_id}", disabled=not analyst, type="primary",
                  on_click=_add, args=(str(store.path), answer_id, text, spans, analyst, labels))


def _history(store, codings: list[Coding], text: str, labels: dict) -> None:
    rows = [r for c in codings for r in store.audit(entity="coding", entity_id=c.id)]
    if not rows:
        st.caption("Inga beslut på svaret ännu.")
        return
    rows.sort(key=lambda r: r["id"], reverse=True)
    excerpts = {c.id: evidence(c, text) for c in codings}
    table_with_full_text(pd.DataFrame({
        "tid": [texts.local_time(r["at"]) for r in rows],
        "analytiker": [r["analyst"] or "" for r in rows],
        "händelse": [texts.audit_phrase(r, labels, excerpts) for r in rows],
    }), key=f"answer_history_{codings[0].answer_id if codings else 0}", full=("händelse",), hide_index=True,
        width="stretch")


def render(store, codes: pd.DataFrame, analyst: Optional[str], code_filter: Optional[str],
           include_negated: bool) -> None:
    """The answer-centred review of one answer, chosen by the model's uncertainty."""
    labels = _labels(codes)
    order = store.review_answers(code_id=code_filter, include_negated=include_negated)
    done, started, total = store.review_counts(code_id=code_filter)
    if total:  # an answer is reviewed when none of its suggestions is open; one begun is said apart (qa55)
        st.progress(done / total, text=f"{done} av {total} svar granskade"
                    + (f" ({started} påbörjade: några förslag kvar)" if started else ""))
    ids = [a for a, _, _ in order]
    current = st.session_state.get(CURRENT)
    if current is None or not store.answers([int(current)]):
        current = ids[0] if ids else None
        st.session_state[CURRENT] = current
    if current is None:
        st.success("Alla förslag i urvalet är granskade.")
        return
    answer = store.answers([int(current)])[0]
    pos = ids.index(current) if current in ids else -1
    following = ids[pos + 1] if 0 <= pos < len(ids) - 1 else next((a for a in ids if a != current), None)

    nav, nav3 = st.columns([2, 3])
    nav1 = nav2 = nav.container(horizontal=True)  # side by side, or one under the other on a small screen
    nav1.button("Föregående", key="granska_prev", disabled=not st.session_state.get(VISITED), on_click=_back)
    nav2.button("Nästa svar", key="granska_next", disabled=following is None, shortcut="N",
                on_click=_go, args=(following, current))
    left = len(ids) - (1 if current in ids else 0)
    nav3.caption(f"{left} svar till har förslag att granska. Ordning: där modellen är mest osäker först. "
                 "Kortkommandon: G godkänn, A avvisa (första öppna förslaget), N nästa svar, U ångra.")

    r = answer.respondent
    qtexts = {answer.question: cache.answer_question_texts(store).get(answer.id, "")}  # as asked in its round
    # the name of a respondent the registry does not know is as written (a file's name): shown as typed
    st.subheader(highlight.escape(r.name, line_start=False))
    st.caption(highlight.escape(f"{TYPE_SV.get(r.type, 'okänd typ')}{', ' + r.lan if r.lan else ''} · "
                                f"{texts.question_label(answer.question, qtexts, 120)}", line_start=False))
    codings = store.codings(answer_ids=[answer.id])
    if code_filter:
        codings.sort(key=lambda c: c.code_id != code_filter)
    codings.sort(key=lambda c: (c.decision == "rejected", c.decision != "suggested",
                                c.code_id != code_filter if code_filter else False, c.confidence, c.id))
    live = [c for c in codings if c.decision != "rejected"]
    # colours are distinct within the answer: the first code shown gets the first colour
    colours = {code: highlight.colour_of(i) for i, code in enumerate(dict.fromkeys(c.code_id for c in live))}
    spans = [(c.evidence_start if c.evidence_start is not None else c.start,
              c.evidence_end if c.evidence_end is not None else c.end, colours.get(c.code_id, "gray"))
             for c in live]
    with st.container(border=True, key="granska_answer_text"):
        st.markdown(highlight.markdown(answer.text, spans))
    if live:
        st.markdown(" ".join(dict.fromkeys(highlight.chip(labels.get(c.code_id, "okänd kod"),
                                                          colours.get(c.code_id, "gray")) for c in live)))
    open_ids = [c.id for c in codings if c.decision == "suggested"]
    if not open_ids:
        st.info("Svaret är granskat. Gå vidare med Nästa svar (N).")
    options = list(codes["code_id"])
    for c in codings:
        if c.decision == "rejected":
            continue
        _chip(store, c, answer.text, labels, colours, analyst, bool(open_ids) and c.id == open_ids[0], options)
    rejected = [c for c in codings if c.decision == "rejected"]
    if rejected:
        with st.expander(f"Avvisade koder på svaret ({len(rejected)})"):
            for c in rejected:
                r1, r2 = st.columns([4, 1])
                r1.text(f"{labels.get(c.code_id, 'okänd kod')} {evidence(c, answer.text)}")
                r2.button("Godkänn ändå", key=f"acc_{c.id}", disabled=not analyst,
                          on_click=decide, args=(str(store.path), c.id, "accepted", analyst, labels))
    _add_form(store, answer.id, answer.text, codes, analyst)
    with st.expander("Memo och historik för svaret"):
        key = f"answer_memo_{answer.id}"
        st.text_area("Memo om svaret", value=store.memo("answer", answer.id) or "", key=key)
        if st.button("Spara memo", key=f"answer_memo_save_{answer.id}", disabled=not analyst):
            store.set_memo("answer", answer.id, st.session_state.get(key, ""), analyst)
            st.success("Memot är sparat.")
        _history(store, codings, answer.text, cache.code_labels(store))  # a removed code keeps its name

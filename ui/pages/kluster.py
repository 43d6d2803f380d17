"""Kluster: run clustering and review the clusters (rename, merge, split, move, exclude, map, create code).

Every review operation is one call into `models.clusters`, which commits (and audits) before
the page shows the result.
"""
from __future__ import annotations

import zlib
from typing import Any, Callable, Optional

import pandas as pd
import streamlit as st

from errors import SvarsanalysError
from models import clusters
from models.store import question_sort_key
from ui import cache, guide, safe, shell, texts
from ui.filters import multi, multi_labelled, select
from ui.safe import md, short, show, table_with_full_text

TYPE_SV = {"region": "regioner", "kommun": "kommuner", "rss": "RSS", "okänd": "okända"}
TYPE_SV_ONE = {"region": "region", "kommun": "kommun", "rss": "RSS", "okänd": "okänd"}


def _coverage_text(coverage: dict[str, int]) -> str:
    return ", ".join(f"{n} {(TYPE_SV_ONE if n == 1 else TYPE_SV).get(t, t)}"
                     for t, n in coverage.items()) or "inga respondenter"


def _run_form(store, codes: pd.DataFrame, analyst: Optional[str]) -> None:
    ro = shell.read_only()  # a läsare on a team server sees the form, every field of it off (as on Granska)
    with st.expander("Kör klustring", expanded=clusters.latest_run(store) is None):
        answers = cache.answer_frame(store)
        c1, c2, c3 = st.columns(3)
        qtexts = cache.question_texts(store)  # every round's wording ("2022: … · 2021: …" where they differ)
        questions = multi(c1, "Bara frågorna", sorted(answers["question"].unique(), key=question_sort_key),
                          key="kluster_q", format_func=lambda q: texts.question_label(q, qtexts, 50), disabled=ro)
        labels = dict(zip(codes["code_id"], codes["code_label"]))
        code = select(c2, "Bara utdrag med koden (undertyper)", [""] + list(codes["code_id"]),
                      format_func=lambda c: labels.get(c, c) if c else "(alla utdrag)", key="kluster_code",
                      disabled=ro)
        k = c3.number_input("Antal kluster (0 = välj automatiskt)", min_value=0, max_value=200, value=0,
                            key="kluster_k", disabled=ro)
        if st.button("Kör klustring", type="primary", key="kluster_run", disabled=ro):
            with st.spinner("Klustrar …"):
                try:
                    summary = clusters.run_clustering(store, k=int(k) or None, question_ids=questions or None,
                                                 code_id=code or None, analyst=analyst or None)
                except Exception as exc:  # noqa: BLE001 - Swedish first, the exception's own words folded away
                    safe.failure("Klustringen kunde inte köras. Försök igen med ett annat urval eller antal kluster; "
                                 "om det inte går, skicka de tekniska detaljerna nedan till den som förvaltar "
                                 "Svarsanalys.", exc)
                    return
            st.session_state["kluster_summary"] = summary.text_sv()
            st.rerun()


def _code_text(view, labels: dict, proposals: dict) -> str:
    """The mapped code's label, or the proposed code marked as a proposal."""
    if view.code_id:
        return labels.get(view.code_id, view.code_id)
    p = proposals.get(view.id)
    return f"förslag: {labels.get(p.code_id, p.code_id)}" if p else ""


def _overview(views: list, labels: dict, proposals: dict) -> None:
    st.dataframe(pd.DataFrame({
        "kluster": [v.title for v in views],
        "utdrag": [v.size for v in views],
        "täckning": [_coverage_text(v.coverage) for v in views],
        "kod": [_code_text(v, labels, proposals) for v in views],
        "typiska ord": [", ".join(v.top_terms[:6]) for v in views],
    }), hide_index=True, width="stretch", height=min(400, 35 * (len(views) + 1) + 3),
        # the code comes before the figures and the columns have widths that add up to the main area at 1280 px
        # (about 820 px beside the sidebar): every column is in view there without scrolling sideways, and at
        # 1024 px (about 560 px) the name, the code and the number of excerpts are; a wider screen stretches them
        column_order=["kluster", "kod", "utdrag", "täckning", "typiska ord"], column_config={
            "kluster": st.column_config.TextColumn(width=180),
            "kod": st.column_config.TextColumn(width=205, help="Den kopplade koden, annars ett förslag."),
            "utdrag": st.column_config.NumberColumn(width=56), "täckning": st.column_config.TextColumn(width=185),
            "typiska ord": st.column_config.TextColumn(width=190)})


def _act(fn: Callable[[], Any], done) -> None:
    """Do a cluster action; `done` is the message afterwards, or a function of the action's result giving it."""
    try:
        result = fn()
    except SvarsanalysError as exc:  # a Swedish message of the project's own
        st.error(md(exc))
        return
    except ValueError as exc:  # a library's own (English) words, e.g. the clustering's: folded away
        safe.failure("Ändringen kunde inte göras med de här värdena. Försök igen med andra (t.ex. färre delar).", exc)
        return
    st.session_state["kluster_flash"] = done(result) if callable(done) else done
    st.rerun()


def _review(store, view, views: list, codes: pd.DataFrame, analyst: Optional[str],
            proposal=None) -> None:
    cid = view.id
    show(f"{view.title} · {view.size} utdrag · {_coverage_text(view.coverage)}")
    code_labels = dict(zip(codes["code_id"], codes["code_label"]))
    if view.code_id:
        show(f"Kopplat till koden: {code_labels.get(view.code_id, view.code_id)}")
    elif proposal is not None:
        show(f"Föreslagen kod: {code_labels.get(proposal.code_id, proposal.code_id)} ({proposal.reason})")
    st.caption("Typiska ord")
    show(", ".join(view.top_terms) or "–")
    st.caption("Mest representativa utdrag")
    wordings = cache.answer_question_texts(store)  # each answer's question as asked in its round

    def qlabel(m: dict, n: int = 60) -> str:
        return texts.question_label(m["question"], {m["question"]: wordings.get(int(m["answer_id"]), "")}, n)

    for m in view.representatives:
        show(f"{m['respondent']} · {qlabel(m)}: {m['text']}")
    disabled = not analyst
    ro = shell.read_only()  # a läsare: the fields are off too, not only the buttons (as on Granska)
    others = [v for v in views if v.id != cid]
    names = {v.id: f"{v.title} ({v.size})" for v in views}
    labels = dict(zip(codes["code_id"], codes["code_label"]))

    t1, t2, t3, t4 = st.tabs(["Namn, slå ihop, dela", "Utdrag", "Koppla till kod", "Ny kod"])
    with t1:
        name = st.text_input("Namn på klustret", value=view.name or "", key=f"kl_name_{cid}", disabled=ro)
        if st.button("Byt namn", key=f"kl_rename_{cid}", disabled=disabled):
            _act(lambda: clusters.rename(store, cid, name.strip(), analyst), "Klustret har bytt namn.")
        merge_ids = multi_labelled(st, "Slå ihop med", [v.id for v in others], format_func=names.get,
                                   key=f"kl_merge_{cid}", placeholder="Välj kluster", disabled=ro)
        if st.button("Slå ihop", key=f"kl_merge_btn_{cid}", disabled=disabled or not merge_ids):
            _act(lambda: clusters.merge(store, [cid, *merge_ids], analyst), "Klustren är ihopslagna.")
        parts = st.number_input("Dela i (0 = automatiskt)", min_value=0, max_value=20, value=0, key=f"kl_k_{cid}",
                                disabled=ro)
        if st.button("Dela klustret", key=f"kl_split_{cid}", disabled=disabled or view.size < 2):
            _act(lambda: clusters.split(store, cid, analyst, k=int(parts) or None), "Klustret är delat.")
    with t2:
        full = clusters.cluster(store, cid, include_excluded=True)
        members = full.members
        table_with_full_text(pd.DataFrame({
            "respondent": [m["respondent"] for m in members],
            "fråga": [qlabel(m, 50) for m in members],
            "utdrag": [m["text"] for m in members],
            "utesluten": ["ja" if m["excluded"] else "" for m in members],
            "flyttad hit": ["ja" if m["moved"] else "" for m in members],
        }), key=f"kl_members_table_{cid}", label=("respondent",), full=("utdrag",), hide_index=True, width="stretch",
            height=min(400, 35 * (len(members) + 1) + 3))
        by_id = {m["id"]: m for m in members}
        chosen = multi(st, "Välj utdrag", list(by_id), key=f"kl_members_{cid}", placeholder="Välj utdrag",
                       format_func=lambda i: short(f"{by_id[i]['respondent']}: {by_id[i]['text']}", 110), disabled=ro)
        c1, c2 = st.columns(2)
        target = select(c1, "Flytta till", [v.id for v in others] or [None], key=f"kl_target_{cid}",
                        format_func=lambda i: names.get(i, "–"), disabled=ro)
        if c1.button("Flytta valda", key=f"kl_move_{cid}", disabled=disabled or not chosen or target is None):
            _act(lambda: clusters.move_excerpts(store, chosen, target, analyst), "Utdragen är flyttade.")
        if c2.button("Uteslut valda", key=f"kl_exclude_{cid}", disabled=disabled or not chosen):
            _act(lambda: clusters.exclude_excerpts(store, chosen, analyst), "Utdragen är uteslutna.")
        if c2.button("Ta tillbaka valda", key=f"kl_include_{cid}", disabled=disabled or not chosen):
            _act(lambda: clusters.exclude_excerpts(store, chosen, analyst, excluded=False),
                 "Utdragen är tillbaka i klustret.")
    with t3:
        ids = list(codes["code_id"])
        wanted = view.code_id or (proposal.code_id if proposal is not None else None)
        current = ids.index(wanted) if wanted in ids else 0
        code = select(st, "Kod", ids, index=current, format_func=lambda c: labels.get(c, c), key=f"kl_code_{cid}",
                      disabled=ro)
        also = st.checkbox("Koda också klustrets utdrag med koden", value=True, key=f"kl_also_{cid}", disabled=ro)
        if st.button("Koppla till koden", key=f"kl_map_{cid}", disabled=disabled):
            # the message names the code and how many excerpts were coded (they count as coded by hand)
            _act(lambda: clusters.map_to_code(store, cid, code, analyst, code_excerpts=also),
                 lambda n: f"Klustret är kopplat till koden {labels.get(code, code)}"
                 + (f"; {n} utdrag kodades med den (kodade för hand, de räknas som granskade)." if also else
                    "; utdragen kodades inte."))
    with t4:
        # keyed by the title too: a renamed cluster proposes its new name (a widget keeps its first value)
        label = st.text_input("Namn på den nya koden", value=view.title,
                              key=f"kl_newlabel_{cid}_{zlib.crc32(view.title.encode('utf-8'))}", disabled=ro)
        # the typical words that set the cluster apart (not the material's common words): editable before creating
        proposal = clusters.proposed_keywords(store, cid, views=views)
        proposed = ", ".join(proposal.keywords)
        words = st.text_input("Nyckelord (kommaseparerade; ändra före du skapar koden)", value=proposed,
                              key=f"kl_newkeywords_{cid}_{zlib.crc32(proposed.encode('utf-8'))}", disabled=ro,
                              help="Ord i versaler (SIP) blir förkortningar.")
        if proposal.left_out:
            st.caption("Typiska ord som inte föreslås (de skiljer inte ut klustret):")
            show(proposal.left_out_sv())
        st.caption("Nyckelorden ovan blir kodens nyckelord och klustrets utdrag blir kodade.")
        keywords = [w.strip() for w in (words or "").split(",") if w.strip()]
        if st.button("Skapa kod av klustret", key=f"kl_create_{cid}", disabled=disabled):
            _act(lambda: clusters.create_code(store, cid, analyst, label=label.strip() or None, keywords=keywords),
                 lambda _cid: f"Koden {' '.join((label.strip() or view.title).split())} är skapad i kodboken "
                 f"(kategorin {clusters.NEW_CODES_CATEGORY[1]}) med nyckelorden {', '.join(keywords) or '–'}; "
                 f"klustrets {view.size} utdrag kodades med den (kodade för hand, de räknas som granskade).")


def _undo_button(store, analyst: Optional[str]) -> None:
    """"Ångra min senaste ändring (…)": takes back the analyst's newest Kluster action in one step."""
    pending = clusters.last_undoable(store, analyst)
    label = f"Ångra min senaste ändring ({md(pending)})" if pending else "Ångra min senaste ändring"
    if st.button(label, key="kl_undo", disabled=shell.read_only() or not pending):
        _act(lambda: clusters.undo_last(store, analyst), f"Ångrade {pending}.")


def render() -> None:
    st.title("Kluster")
    store = shell.require_store()
    if guide.empty_project(store, "grupper av liknande utdrag att granska och koppla till koder"):
        return
    analyst = shell.require_analyst()
    for key in ("kluster_flash", "kluster_summary"):
        message = st.session_state.pop(key, None)
        if message:
            st.success("Klart.")
            show(message)
    codes = cache.code_frame(store)
    if cache.answer_frame(store).empty:
        st.info("Projektet har inga svar att klustra ännu. Importera filer på sidan Importera.")
        return
    _run_form(store, codes, analyst)
    views = clusters.clusters(store)
    if not views:
        st.info("Ingen klustring är körd ännu. Öppna 'Kör klustring' ovan.")
        return
    st.subheader(f"Kluster ({len(views)})")
    _undo_button(store, analyst)
    labels = dict(zip(codes["code_id"], codes["code_label"]))
    proposals = clusters.propose_codes(store, views, cache.codebook_doc(store))
    st.caption("Kolumnen kod visar den kopplade koden, annars ett förslag: koden som de flesta av klustrets "
               "utdrag är taggade med, eller vars nyckelord klustrets typiska ord delar.")
    _overview(views, labels, proposals)
    st.subheader("Granska ett kluster")
    by_id = {v.id: v for v in views}
    names = {i: f"{v.title} ({v.size} utdrag)" for i, v in by_id.items()}
    # after a merge, move or rename the box read "(26 utdrag)" while the card said 70: keyed by its labels too
    chosen = select(st, "Kluster", list(by_id), format_func=names.get, key="kluster_valt")
    with st.container(border=True):
        _review(store, by_id[chosen], views, codes, analyst, proposals.get(chosen))


render()

"""Överensstämmelse: double coding of a sample by several analysts, agreement and resolution.

Urval draws a stratified sample and assigns it; Koda urvalet lets the signed-in analyst code
their assigned answers (their own codings, never the project's); Jämför shows per code percent
agreement, Cohen's κ, Krippendorff's α and span overlap, the disagreements side by side to
resolve into the final coding, and the tagger compared with each analyst.
"""
from __future__ import annotations

import zlib

import pandas as pd
import streamlit as st

from errors import SvarsanalysError
from export import refi
from models import teamcoding
from models.store import StoreError
from nlp.pipeline import analyse, segments
from ui import cache, guide, shell, state
from ui.filters import NO_SELECT_ALL
from ui.safe import md, short, show

TAGGER = "taggaren"
MAX_DISAGREEMENTS = 30


def _labels(store) -> dict[str, str]:
    frame = cache.code_frame(store)
    return dict(zip(frame["code_id"], frame["code_label"]))


def _sample_tab(store, analyst: str | None) -> None:
    st.subheader("Dra ett urval för dubbelkodning")
    st.caption("Urvalet dras per fråga och respondenttyp (minst ett svar ur varje grupp) och tilldelas varje "
               "analytiker. Samma urval ger samma svar varje gång.")
    percent = st.slider("Andel av svaren (%)", 1, 100, 10, key="ov_percent")
    names = st.text_input("Analytiker som ska koda urvalet (kommaseparerade)", key="ov_coders",
                          placeholder="t.ex. Anna, Bo")
    blind = st.checkbox("Blint: en analytiker ser inte de andras kodningar", value=True, key="ov_blind")
    if st.button("Dra urval och tilldela", key="ov_draw", disabled=not analyst):
        coders = [n.strip() for n in (names or "").split(",") if n.strip()]
        try:
            ids = teamcoding.draw_sample(store, percent / 100, coders, blind=blind, analyst=analyst)
        except (ValueError, SvarsanalysError) as exc:
            st.error(md(exc))
        else:
            st.success(f"{len(ids)} svar tilldelade {md(', '.join(sorted(set(coders))))}. Sparat.")
    rows = store.assignments()
    if rows:
        frame = pd.DataFrame(rows)
        table = frame.groupby("coder").agg(Tilldelade=("answer_id", "count"), Kodade=("done", "sum")).reset_index()
        st.dataframe(table.rename(columns={"coder": "Analytiker"}), hide_index=True)
        st.caption("Koda urvalet i QualCoder, NVivo, MAXQDA eller ATLAS.ti: ladda ner det utan kodningar, koda där "
                   "och importera tillbaka deras .qdpx på sidan Importera. Svaren känns igen på texten och "
                   "kodningarna blir den analytikerns egna.")
        c1, c2 = st.columns(2)
        if c1.button("Skapa urvalet som REFI-QDA (.qdpx) utan kodningar", key="ov_make_qdpx"):
            st.session_state["ov_qdpx"] = refi.to_qdpx(store, answer_ids=set(frame["answer_id"]), with_codings=False)
        if st.session_state.get("ov_qdpx"):
            c1.download_button("Ladda ner urvalet (.qdpx)", st.session_state["ov_qdpx"],
                               file_name=f"{state.slug(store.name)}_urval.qdpx", mime="application/zip", key="ov_qdpx_dl")
        if c2.button("Skapa urvalet med varje analytikers kodningar (.qdpx)", key="ov_make_coders_qdpx",
                     help="För NVivos kodningsjämförelse eller MAXQDA:s interkodaröverensstämmelse."):
            st.session_state["ov_coders_qdpx"] = refi.to_qdpx(store, answer_ids=set(frame["answer_id"]),
                                                              with_codings=False, with_coders=True)
        if st.session_state.get("ov_coders_qdpx"):
            c2.download_button("Ladda ner urvalet med kodningar (.qdpx)", st.session_state["ov_coders_qdpx"],
                               file_name=f"{state.slug(store.name)}_dubbelkodning.qdpx", mime="application/zip",
                               key="ov_coders_qdpx_dl")


@st.cache_data(show_spinner=False, max_entries=500)
def _segments(text: str) -> list[tuple[int, int]]:
    """Sentences / list items of an answer as spans; the whole answer when it cannot be segmented."""
    try:
        spans = [(s, e) for s, e in segments(analyse([text])[0]) if e > s]
    except Exception:  # noqa: BLE001 - segmenting is a convenience; the whole answer always works
        spans = []
    return spans or [(0, len(text))]


def _seg_key(analyst: str, answer_id: int, code: str) -> str:
    return f"ov_seg_{analyst}_{answer_id}_{code}"


def _save_own(path: str, answer_id: int, text: str, analyst: str, key: str) -> None:
    store = cache.get_store(path)
    chosen = set(st.session_state.get(key) or [])
    segs = _segments(text)
    wanted: set[tuple[str, int, int]] = set()
    for code in chosen:
        picked = st.session_state.get(_seg_key(analyst, answer_id, code))
        spans = [segs[i] for i in picked if 0 <= i < len(segs)] if picked else [(0, len(text))]
        if len(segs) == 1:
            spans = [(0, len(text))]
        wanted |= {(code, s, e) for s, e in spans}
    mine = store.coder_codings(coder=analyst, answer_ids=[answer_id])
    for row in mine:
        if (row["code_id"], row["start"], row["end"]) not in wanted:
            store.remove_coder_coding(row["id"], analyst)
    have = {(r["code_id"], r["start"], r["end"]) for r in mine}
    store.add_coder_codings([(answer_id, analyst, c, s, e) for c, s, e in sorted(wanted - have)], analyst=analyst)
    store.set_assignment_done(answer_id, analyst)
    left = [r["answer_id"] for r in store.assignments(coder=analyst) if not r["done"]]
    if left:  # go on with the next answer still to code
        st.session_state[f"ov_answer_{analyst}"] = next((a for a in left if a > answer_id), left[0])
    st.session_state["ov_flash"] = (f"Din kodning av svaret är sparad ({len(chosen)} koder)."
                                    + ("" if left else " Du har kodat hela ditt urval."))


def _code_tab(store, analyst: str | None) -> None:
    st.subheader("Koda ditt urval")
    if not analyst:
        st.info(shell.name_hint("koda ditt urval"))
        return
    mine = store.assignments(coder=analyst)
    if not mine:
        st.info(f"Inga svar är tilldelade {md(analyst)}. Dra ett urval under fliken Urval.")
        return
    done = sum(r["done"] for r in mine)
    st.progress(done / len(mine), text=f"{done} av {len(mine)} tilldelade svar kodade")
    answers = {a.id: a for a in store.answers([r["answer_id"] for r in mine])}
    options = [r["answer_id"] for r in mine if r["answer_id"] in answers]
    status = {r["answer_id"]: r for r in mine}
    first_left = next((i for i, a in enumerate(options) if not status[a]["done"]), 0)
    select_key = f"ov_answer_{analyst}"
    if st.session_state.get(select_key) not in options:
        st.session_state[select_key] = options[first_left] if options else None
    # The browser keeps showing the label a selectbox was first drawn with: after saving the last answer it
    # still read "○" where the list said "✓". The widget is keyed by the done marks, the choice kept in
    # `select_key` (which _save_own moves on to the next answer).
    marks = "".join("1" if status[i]["done"] else "0" for i in options)
    current = st.session_state.get(select_key)
    answer_id = st.selectbox(
        "Svar", options, index=options.index(current) if current in options else None,
        key=f"{select_key}_{zlib.crc32(marks.encode('ascii'))}",
        format_func=lambda i: f"{'✓' if status[i]['done'] else '○'} {answers[i].respondent.name} – fråga "
                              f"{answers[i].question}: {short(answers[i].text, 70)}", placeholder="Välj")
    st.session_state[select_key] = answer_id
    if answer_id is None:
        return
    answer = answers[answer_id]
    show(answer.text)
    labels = _labels(store)
    own = store.coder_codings(coder=analyst, answer_ids=[answer_id])
    current = sorted({r["code_id"] for r in own})
    key = f"ov_codes_{analyst}_{answer_id}"
    chosen = st.multiselect("Dina koder för svaret", sorted(set(labels) | set(current), key=lambda c: labels.get(c, c)),
                            default=current, key=key, format_func=lambda c: labels.get(c, c),
                            placeholder="Välj koder", **NO_SELECT_ALL)
    segs = _segments(answer.text)
    if len(segs) > 1:
        for code in chosen:
            marked = {(r["start"], r["end"]) for r in own if r["code_id"] == code}
            default = [i for i, sp in enumerate(segs) if sp in marked] or list(range(len(segs)))
            st.multiselect(f"Var i svaret gäller {md(labels.get(code, code))}?", list(range(len(segs))),
                           default=default, key=_seg_key(analyst, answer_id, code),
                           format_func=lambda i: f"{i + 1}. {short(answer.text[segs[i][0]:segs[i][1]], 80)}",
                           placeholder="Hela svaret", **NO_SELECT_ALL)
    if not status[answer_id]["blind"]:
        others = {}
        for r in store.coder_codings(answer_ids=[answer_id]):
            if r["coder"] != analyst:
                others.setdefault(r["coder"], set()).add(labels.get(r["code_id"], r["code_id"]))
        for coder, codes in sorted(others.items()):
            st.caption(md(f"{coder}: {', '.join(sorted(codes))}"))
    st.button("Spara och markera som kodat", key="ov_save", type="primary",
              on_click=_save_own, args=(str(store.path), answer_id, answer.text, analyst, key))


def _resolve(path: str, coder_a: str, coder_b: str, answer_id: int, key: str, analyst: str) -> None:
    store = cache.get_store(path)
    comparison = teamcoding.compare(store, coder_a, coder_b)
    try:
        n = teamcoding.resolve(store, comparison, answer_id, st.session_state.get(key) or [], analyst)
    except StoreError as exc:
        st.session_state["ov_flash"] = md(exc)
        return
    st.session_state["ov_flash"] = f"Slutlig kodning sparad: {n} kodningar i projektet."


def _fmt(value) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:.2f}".replace(".", ",")


def _blind_left(store, analyst: str | None) -> int:
    """How many blind assignments the analyst has not yet coded."""
    if not analyst:
        return 0
    return sum(1 for r in store.assignments(coder=analyst) if r["blind"] and not r["done"])


def _compare_tab(store, analyst: str | None) -> None:
    st.subheader("Jämför två kodare")
    left_to_code = _blind_left(store, analyst)
    if left_to_code:
        st.info(f"Du har {left_to_code} svar kvar att koda blint. Jämförelsen visas när du har kodat dem, "
                "så att du inte ser de andras beslut innan dess.")
        return
    coders = store.coders()
    if len(coders) < 1:
        st.info("Ingen har kodat än. När två analytiker har kodat samma svar jämförs de här.")
        return
    choices = [*coders, TAGGER]
    left, right = st.columns(2)
    coder_a = left.selectbox("Kodare A", choices, index=0, key="ov_a", placeholder="Välj")
    coder_b = right.selectbox("Kodare B", choices, index=min(1, len(choices) - 1), key="ov_b", placeholder="Välj")
    if coder_a == coder_b:
        st.info("Välj två olika kodare.")
        return
    comparison = teamcoding.compare(store, coder_a, coder_b)
    result = comparison.result
    labels = _labels(store)
    c1, c2 = st.columns(2)
    c1.metric("Gemensamma svar", result.passages)
    c2.metric("Medel-κ", _fmt(result.mean_kappa))
    if not result.codes:
        st.info("Kodarna har inga gemensamma kodade svar med koder än.")
        return
    rows = comparison.rows(labels)
    for row in rows:
        for k in ("Överensstämmelse", "Cohens κ", "Krippendorffs α", "Textöverlapp"):
            row[k] = _fmt(row[k])
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    st.caption("Överensstämmelse, κ och α gäller förekomst av koden per svar; textöverlapp är andelen gemensamt "
               "markerade tecken där båda använde koden. κ och α saknas (–) när båda använde koden på varje svar.")
    st.markdown(f"**Oenigheter ({len(comparison.disagreements)})**")
    answers = {a.id: a for a in store.answers([d[0] for d in comparison.disagreements[:MAX_DISAGREEMENTS]])}
    for answer_id, only_a, only_b in comparison.disagreements[:MAX_DISAGREEMENTS]:
        answer = answers.get(answer_id)
        if answer is None:
            continue
        with st.container(border=True):
            st.text(f"{answer.respondent.name} – fråga {answer.question}")  # names are data: never Markdown
            show(answer.text)
            col_a, col_b = st.columns(2)
            col_a.text(f"Bara {coder_a}: " + (", ".join(labels.get(c, c) for c in only_a) or "–"))
            col_b.text(f"Bara {coder_b}: " + (", ".join(labels.get(c, c) for c in only_b) or "–"))
            both = sorted(set(comparison.spans_a.get(answer_id, {})) & set(comparison.spans_b.get(answer_id, {})))
            key = f"ov_final_{coder_a}_{coder_b}_{answer_id}"
            st.multiselect("Slutlig kodning", sorted({*both, *only_a, *only_b}, key=lambda c: labels.get(c, c)),
                           default=both, key=key, format_func=lambda c: labels.get(c, c),
                           placeholder="Välj koder för den slutliga kodningen", **NO_SELECT_ALL)
            st.button("Spara slutlig kodning", key=f"ov_resolve_{coder_a}_{coder_b}_{answer_id}",
                      disabled=not analyst, on_click=_resolve,
                      args=(str(store.path), coder_a, coder_b, answer_id, key, analyst or ""))
    if len(comparison.disagreements) > MAX_DISAGREEMENTS:
        st.caption(f"Visar de första {MAX_DISAGREEMENTS} oenigheterna.")


def _tagger_tab(store, analyst: str | None) -> None:
    st.subheader("Taggaren jämförd med varje analytiker")
    if _blind_left(store, analyst):
        st.info("Visas när du har kodat ditt blinda urval.")
        return
    rows = []
    labels = _labels(store)
    for coder in store.coders():
        result = teamcoding.compare(store, TAGGER, coder).result
        alphas = [c.alpha for c in result.codes.values() if c.alpha is not None]
        counted = sorted(labels.get(c, c) for c, a in result.codes.items() if a.kappa is not None)
        unused = sorted(label for code, label in labels.items() if code not in result.codes)
        undefined = sorted(labels.get(c, c) for c, a in result.codes.items() if a.kappa is None)
        rows.append({"Analytiker": coder, "Gemensamma svar": result.passages, "Medel-κ": _fmt(result.mean_kappa),
                     "Medel-α": _fmt(sum(alphas) / len(alphas) if alphas else None),
                     "Koder i medelvärdet": len(counted),
                     "Utelämnade: ingen av dem använde koden": f"{len(unused)}: " + ", ".join(unused) if unused else "–",
                     "Utelämnade: κ odefinierat": ", ".join(undefined) or "–"})
    if not rows:
        st.info("Ingen analytiker har kodat än.")
        return
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    st.caption("Medelvärdet räknas över koderna som taggaren eller analytikern använde på de gemensamma svaren; "
               "koder som ingen av dem använde är utelämnade, liksom koder där κ är odefinierat (båda använde "
               "koden på varje svar). Ett negerat förslag (\"inga mobila team\") räknas inte som att taggaren "
               "använde koden.")


def render() -> None:
    store = shell.require_store()
    st.title("Överensstämmelse")
    analyst = shell.require_analyst()
    if guide.empty_project(store, "dubbelkodning av ett urval och hur väl analytikerna och taggaren stämmer överens"):
        return
    flash_box = st.container()  # always present, so the tabs below keep their place (and the open tab)
    flash = st.session_state.pop("ov_flash", None)
    if flash:
        flash_box.success(flash)
    sample, code, compare, tagger = st.tabs(["Urval", "Koda urvalet", "Jämför och lös", "Taggaren"])
    with sample:
        _sample_tab(store, analyst)
    with code:
        _code_tab(store, analyst)
    with compare:
        _compare_tab(store, analyst)
    with tagger:
        _tagger_tab(store, analyst)


render()

"""Importera: upload many files, progress per step, report per file, fix unresolved respondents."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import config
from importers import ocr, office_reader
from importers.question_match import parse_uncertain
from models.after_import import analyse_after_import
from models.importing import batch_changed_answers, import_uploads
from models.reconcile import reconcile
from models.records import Respondent
from models.round_views import file_rounds, round_labels
from models.rounds import detect_round, label_problem, normalise_label, text_head, upload_rounds
from models.store import StoreError
from nlp import compiled
from reference import registry
from ui import cache, highlight, shell, state, texts
from ui.filters import select
from ui.safe import md, show, table_with_full_text

ALL_ROUNDS = "__alla__"

TYPE_SV = {"region": "region", "kommun": "kommun", "rss": "RSS"}


def _bar(label: str):
    holder = st.empty()
    bar = holder.progress(0.0, text=label)

    def report(fraction: float, text: str) -> None:
        # `text` (e.g. a file name) is not shown: progress labels are Markdown and names are data.
        if fraction >= 0:
            bar.progress(fraction, text=f"{label} {fraction:.0%}")

    return bar, report


def _file_list(names: list[str], limit: int = 4) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" och {len(names) - limit} till" if len(names) > limit else "")


def _round_choices(files: list[tuple[str, bytes]]) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """Round per file and the round each file names itself. The upload has one round (chosen for all files, else
    read from the files: models.rounds.upload_rounds), said before the import; files without a year of their
    own take it; a file whose own round disagrees is named here and in its report line. The analyst confirms
    or changes each file's round in a table (an empty round is allowed: the answers get no round)."""
    st.markdown("**Omgång**")
    default = st.text_input(
        "Omgång för alla filer (t.ex. 2022, 2022-del eller 2022-slut)", key="import_round",
        help="Lämna tomt för att använda omgången som lästs ut ur filernas namn eller text; filer utan eget årtal "
             "får samma omgång som de andra filerna i importen.")
    with st.spinner("Läser omgången ur filerna …"):  # a scanned PDF's title is read by OCR (once per file)
        detected = [detect_round(name, text_head(name, data)) or "" for name, data in files]
    names = [name for name, _ in files]
    plan = upload_rounds(detected, default)
    if plan.batch:
        how = "vald ovan för alla filer" if plan.source == "vald" else \
            "tolkad ur " + ("filen " if len(plan.from_files) == 1 else f"{len(plan.from_files)} filer: ") + \
            _file_list([names[i] for i in plan.from_files])
        st.markdown(f"Importens omgång: **{md(plan.batch)}** ({md(how)}). Filer utan eget årtal i namnet "
                    "eller texten får den.")
    else:
        st.info("Ingen omgång är vald och ingen kunde läsas ur filerna: svaren importeras utan omgång. Ange en "
                "omgång ovan (t.ex. 2022-slut) om filerna hör till en insamling.")
    if plan.disagree:
        what = "läggs ändå i den valda omgången" if plan.source == "vald" else "behåller sin egen omgång"
        listed = "; ".join(f"{names[i]} ({detected[i]})" for i in plan.disagree)
        st.warning(md(f"Filer vars eget årtal inte stämmer med importens omgång {plan.batch}: {listed}. De {what} "
                      "— kontrollera i tabellen; importrapporten nämner dem också."))
    frame = pd.DataFrame({"fil": names, "tolkat ur filen": detected, "omgång": plan.rounds})
    edited = st.data_editor(
        frame, hide_index=True, width="stretch", disabled=["fil", "tolkat ur filen"],
        key=f"import_rounds_{abs(hash((default, tuple(frame['fil']), tuple(plan.rounds))))}",
        column_config={"omgång": st.column_config.TextColumn("omgång", help="Bekräfta eller ändra omgången.")},
    )
    st.caption("Kontrollera omgången för varje fil innan du importerar. En fil som redan är importerad "
               "läggs till i den omgång du anger (och finns kvar i sin tidigare); fel omgång rättas nedan under "
               "Importerade filer och omgångar.")
    rounds = {}
    for name, label in zip(edited["fil"], edited["omgång"]):
        label = normalise_label(label)
        problem = label_problem(label)
        if problem:
            st.warning(highlight.escape(f"{name}: {problem}"))
            label = ""
        rounds[str(name)] = label or None  # empty: a new file gets no round, a known file keeps its round
    return rounds, {name: d or None for name, d in zip(names, detected)}


def _run_import(store, files: list[tuple[str, bytes]], rounds: dict[str, str | None] | None = None,
                own_rounds: dict[str, str | None] | None = None) -> None:
    notes: list[str] = []
    bar, report = _bar("Läser filer …")
    ocr_line = st.empty()

    def ocr_progress(page: int, pages: int, _name: str) -> None:
        ocr_line.text(f"OCR av inskannade sidor: sida {page} av {pages} …")

    token = ocr.PROGRESS.set(ocr_progress)
    try:
        results = import_uploads(store, files, progress=lambda done, total, _name: report(done / total if total else 0.0, ""),
                                 rounds=rounds, own_rounds=own_rounds)
    finally:
        ocr.PROGRESS.reset(token)
        ocr_line.empty()
    bar.progress(1.0, text="Läser filer: klart")

    if batch_changed_answers(results):
        bars = {"analyse": _bar("Analyserar text …"), "tag": _bar("Taggar …"), "cluster": _bar("Klustrar …")}

        def route(step: str, fraction: float, text: str) -> None:
            if step == "tag" and text.startswith("Analyserar"):
                step = "analyse"
            bars[step][1](fraction, "")

        notes.extend(analyse_after_import(store, analyst=state.analyst() or None, progress=route))
        for step, done in (("analyse", "Analyserar text: klart"), ("tag", "Taggar: klart"),
                           ("cluster", "Klustrar: klart")):
            bars[step][0].progress(1.0, text=done)
    st.session_state["import_report"] = [r.__dict__ for r in results]
    st.session_state["import_notes"] = notes


STATUS_SV = {"imported": "ny", "replaced": "ersatt", "unchanged": "oförändrad", "failed": "FEL"}


REPORT_COLUMNS = {
    "fil": st.column_config.TextColumn("fil", width="medium"),
    "resultat": st.column_config.TextColumn("resultat", width="small"),
    "respondent": st.column_config.TextColumn("respondent", width="medium"),
    "svar": st.column_config.NumberColumn("svar", width="small", help="Antal svar som lästes ur filen."),
    "varningar": st.column_config.NumberColumn("varningar", width="small",
                                               help="Antal varningar; de står i tabellen under."),
    "omgång": st.column_config.TextColumn("omgång", width="small"),
    "meddelande": st.column_config.TextColumn("meddelande", width="medium"),
}


def report_summary(rows: list[dict]) -> str:
    """One Swedish sentence on a batch: how many files brought something new, or "inget nytt"."""
    failed = sum(1 for r in rows if not r["ok"])
    unchanged = sum(1 for r in rows if r["ok"] and r.get("status") == "unchanged")
    new = len(rows) - failed - unchanged
    answers = sum(r["answers"] for r in rows if r["ok"] and r.get("status") != "unchanged")
    if new == 0 and failed == 0:
        which = "filen var redan importerad" if len(rows) == 1 else f"alla {len(rows)} filer var redan importerade"
        return f"Inget nytt: {which} med samma innehåll."
    parts = [f"{new} av {len(rows)} filer importerade ({answers} svar)"]
    if unchanged:
        parts.append(f"{unchanged} oförändrad (redan importerad)" if unchanged == 1
                     else f"{unchanged} oförändrade (redan importerade)")
    if failed:
        parts.append(f"{failed} med fel")
    return ", ".join(parts) + "."


def _message(r: dict) -> str:
    """The importer's message without the answer count and file name that have their own columns."""
    msg = str(r.get("message") or "")
    if r.get("status") == "unchanged":
        if r.get("same_as"):  # a copy under another name (in this batch or an earlier one)
            return f"samma innehåll som {r['same_as']}, som redan är importerad; inget ändrades"
        return "redan importerad med samma innehåll; " + (
            "kommunerna som RSS-svaret avser sparades" if "avser sparades" in msg else "inget ändrades")
    prefix = f"{r['answers']} svar"
    if msg.startswith(prefix):
        msg = msg[len(prefix):].lstrip(" ;.")
    return msg


def _report(store=None) -> None:
    rows = st.session_state.get("import_report")
    if not rows:
        return
    st.subheader("Importrapport")
    st.write(report_summary(rows))
    failed = [r for r in rows if not r["ok"]]
    if failed:  # named in full here: the table below scrolls and cuts its message column
        st.error(f"{len(failed)} filer kunde inte importeras:" if len(failed) > 1 else "1 fil kunde inte importeras:")
        show("\n".join(f"{r['name']}: {_message(r)}" for r in failed))  # file names are data: literally
    by_file: dict[str, list[str]] = {}
    if store is not None:
        answers = cache.answer_frame(store)
        for file, group in answers.groupby("file"):
            by_file[str(file)] = sorted(group["respondent"].dropna().astype(str).unique())
    frame = pd.DataFrame({
        "fil": [r["name"] for r in rows],
        "resultat": [STATUS_SV.get(r.get("status") or "", "OK" if r["ok"] else "FEL") for r in rows],
        "respondent": [", ".join(by_file.get(r["name"]) or by_file.get(r.get("same_as") or "", [])) for r in rows],
        "svar": [r["answers"] for r in rows],
        "varningar": [len(r.get("warnings") or []) for r in rows],
        "omgång": [r.get("round_label", "") for r in rows],
        "meddelande": [_message(r) for r in rows],
    })
    # at 1280 px the seven columns do not fit: the counts are narrow and come before the long message, which
    # is read whole below the table, so what is cut at the right edge is only the end of a message
    table_with_full_text(frame, key="import_report_table", label=("fil",), full=("respondent", "meddelande"),
                         hide_index=True, width="stretch", column_config=REPORT_COLUMNS)
    warned = [(r["name"], w) for r in rows for w in r.get("warnings") or []]
    if warned:
        st.caption("Det som inte importerades eller tolkades, per fil (kontrollera):")
        table_with_full_text(pd.DataFrame({"fil": [n for n, _ in warned], "varning": [w for _, w in warned]}),
                             key="import_warning_table", label=("fil",), full=("varning",), hide_index=True,
                             width="stretch")
    for note in st.session_state.get("import_notes") or []:
        st.warning(md(note))
    _uncertain_questions(rows)


def _uncertain_questions(rows: list[dict]) -> None:
    """For each column whose question text matched several questions: choose the right one."""
    items = [(r["name"], *found) for r in rows if r["ok"] for w in r.get("warnings") or []
             for found in [parse_uncertain(w)] if found]
    if not items:
        return
    st.subheader("Osäkra frågor att bekräfta")
    store = shell.require_store()
    analyst = state.analyst()
    for n, (file_name, column, chosen, others) in enumerate(items):
        with st.container(border=True):
            st.text(f"{file_name}: kolumnen '{column}' lästes som fråga {chosen}.")
            pick = st.selectbox("Rätt fråga", [chosen, *others], key=f"uncertain_{n}", placeholder="Välj")
            if st.button("Spara frågan", key=f"uncertain_save_{n}", disabled=not analyst or pick == chosen):
                moved = 0
                for answer in store.answers():
                    if answer.source_file == file_name and answer.question == chosen:
                        store.update_answer(answer.id, question=pick, analyst=analyst)
                        moved += 1
                st.success(f"{moved} svar flyttades till fråga {md(pick)}.")
    if not analyst:
        st.caption(shell.name_hint("spara frågan"))


def _optional_packages() -> None:
    """Say which optional import formats are unavailable on this machine, naming the packages."""
    if not ocr.available():
        st.caption("Inskannade PDF:er kan inte läsas här: " + ocr.missing_message())
    if compiled.running_pure():
        st.caption("Taggningen körs som Python och tar ungefär 1,5 gånger så lång tid: bygg de kompilerade "
                   "modulerna med python tools/build_compiled.py (kräver Cython och en C-kompilator, gcc).")
    if office_reader.soffice() is None:
        st.caption(".doc, .odt och .rtf kan inte läsas här: de kräver LibreOffice (Debian-paketet "
                   f"{office_reader.PACKAGE}). Spara dem som .docx.")


def _history(store) -> None:
    """Every earlier import of the project: one row per file, newest batch first."""
    try:
        rows = store.import_reports()
    except Exception:  # an older store without the history
        return
    st.subheader("Importhistorik")
    if not rows:
        st.caption("Inga importer ännu.")
        return
    frame = pd.DataFrame({
        "tid": [texts.local_time(r["at"]) for r in rows],
        "fil": [r["name"] for r in rows],
        "resultat": ["OK" if r["ok"] else "FEL" for r in rows],
        "svar": [r["answers"] for r in rows],
        "meddelande": [_message(r) for r in rows],
        "varningar": ["; ".join(r["warnings"]) for r in rows],
    })
    table_with_full_text(frame, key="import_history_table", label=("fil",), full=("meddelande", "varningar"),
                         hide_index=True, width="stretch")


def _reconciliation(store) -> None:
    """Which registry respondents have answered, which not, and which questions are not relevant (per round)."""
    st.subheader("Avstämning mot registret")
    labels = round_labels(store)
    chosen = None
    if labels:
        options = labels[::-1] + [ALL_ROUNDS]  # the newest round first
        chosen = st.selectbox("Omgång", options, key="import_reconcile_round",
                              format_func=lambda r: "Alla omgångar tillsammans" if r == ALL_ROUNDS else r,
                              placeholder="Välj")
        chosen = None if chosen == ALL_ROUNDS else chosen
    if chosen is not None:
        _outside_round_note(file_rounds(store), chosen)
    try:
        result = reconcile(store, chosen)
    except Exception as exc:  # noqa: BLE001 - a broken registry must not break the page
        st.caption(f"Avstämningen mot registret kunde inte göras ({type(exc).__name__}).")
        return
    for group in result.groups:
        st.write(f"{group.label}: {len(group.answered)} av {group.expected} har svarat.")
        if group.many_missing:
            if group.answered:
                st.caption(md("Har svarat: " + ", ".join(group.answered)))
            if group.missing:
                with st.expander(f"Ej svar ({len(group.missing)})"):
                    st.caption(md(", ".join(group.missing)))
        elif group.missing:
            st.caption(md("Ej svar: " + ", ".join(group.missing)))
        if group.by_region:
            st.caption(md("; ".join(group.by_region) + "."))
    if result.not_relevant:
        st.caption(md("Ej relevant: " + "; ".join(result.not_relevant)))
    if result.unknown:
        st.caption(highlight.escape("Ej i registret (rätta nedan): " + ", ".join(result.unknown), line_start=False))


def _outside_round_note(files: pd.DataFrame, chosen: str) -> None:
    """Say which imported files the chosen round leaves out (files imported without a round above all), so that
    a region whose file has no round is not read as one that has not answered."""
    outside = files[[chosen not in [r.strip() for r in str(r).split(",")] for r in files["round"]]]
    outside = outside[outside["answers"] > 0]
    if outside.empty:
        return
    no_round = int((outside["round"].fillna("") == "").sum())
    n = len(outside)
    what = f"{n} importerade {'fil' if n == 1 else 'filer'} ({int(outside['answers'].sum())} svar) hör inte till " \
           f"omgång {md(chosen)} och räknas inte här"
    if no_round:
        what += f" ({'den saknar' if n == 1 else f'{no_round} av dem saknar'} omgång)"
    st.info(f"{what}. Välj ”Alla omgångar tillsammans” för att räkna alla svar, eller ange filernas omgång under "
            "Importerade filer och omgångar.")


def _file_rounds(store) -> None:
    """Imported files with their round; changing a round moves the file's answers (codings kept)."""
    files = file_rounds(store)
    st.subheader("Importerade filer och omgångar")
    moved = st.session_state.pop("import_rounds_flash", None)
    if moved:
        st.success(highlight.escape(moved))
    if files.empty:
        st.caption("Inga filer importerade ännu.")
        return
    analyst = state.analyst()
    shown = pd.DataFrame({"fil-id": files["file_id"], "fil": files["file"], "svar": files["answers"],
                          "omgång": files["round"]})
    edited = st.data_editor(shown, hide_index=True, width="stretch", key=f"import_filrundor_{store.data_version}",
                            disabled=True if not analyst else ["fil-id", "fil", "svar"],
                            column_config={"omgång": st.column_config.TextColumn(
                                "omgång", help="Ändra för att flytta filens svar till en annan omgång.")})
    st.caption("En fil som importerats till fel omgång flyttas genom att ändra omgången här; kodningarna följer "
               "med. Samma fil kan också importeras på nytt till en annan omgång: då finns den i båda.")
    for (_, old), (_, new) in zip(shown.iterrows(), edited.iterrows()):
        if normalise_label(new["omgång"]) == normalise_label(old["omgång"]):
            continue
        label = normalise_label(new["omgång"])
        problem = label_problem(label)
        try:
            if problem:
                raise StoreError(problem)
            moved = store.set_file_round(int(old["fil-id"]), label, analyst)
        except StoreError as exc:
            st.error(highlight.escape(f"{old['fil']}: {exc}"))
            continue
        # shown by the next run, which draws the moved file (a message before st.rerun() is never seen)
        st.session_state["import_rounds_flash"] = (
            f"{old['fil']}: {moved} svar flyttades till omgång {label or '(ingen)'}.")
        st.rerun()
    _remove_file(store, files, analyst)


def _remove_file(store, files: pd.DataFrame, analyst) -> None:
    """Take one imported file out of the project (a wrong or duplicate file), after a confirmation that says
    how many answers and decisions go with it; the history keeps them."""
    removed = st.session_state.pop("import_removed", None)
    if removed:
        st.success("Filen är borttagen.")
        show(removed)
    restored = st.session_state.pop("import_restored", None)
    if restored:
        st.success("Borttagningen är ångrad.")
        show(restored)
    _undo_removal(store, analyst)
    with st.expander("Ta bort en importerad fil"):
        names = dict(zip(files["file_id"], files["file"]))
        chosen = select(st, "Fil", list(names), format_func=lambda i: names.get(i, ""), key="import_remove_file",
                        disabled=not analyst)
        if chosen is None:
            return
        answers = int(files.loc[files["file_id"] == chosen, "answers"].sum())
        decided = store.file_decisions(int(chosen))
        show(f"{names[chosen]}: {answers} svar och {decided} beslut (godkända, avvisade eller handkodade "
             "utdrag) tas bort ur projektet. Historiken behåller dem. Respondenter som inte har några andra svar "
             "försvinner ur täckningen.")
        sure = st.checkbox("Ja, ta bort filen och dess svar", key=f"import_remove_sure_{chosen}",
                           disabled=not analyst)
        if st.button("Ta bort filen", key="import_remove_btn", disabled=not analyst or not sure):
            try:
                result = store.remove_source_file(int(chosen), analyst)
            except StoreError as exc:
                st.error(highlight.escape(f"{names[chosen]}: {exc}"))
                return
            st.session_state["import_removed"] = (
                f"{result['name']}: {result['answers']} svar och {result['decided']} beslut togs bort.")
            st.rerun()
        if not analyst:
            st.caption(shell.name_hint("ta bort en fil"))


def _undo_removal(store, analyst) -> None:
    """"Ångra borttagning" of the last removed file (until the next removal; kept in the project)."""
    last = store.last_removed_file()
    if not last:
        return
    with st.container(border=True):
        show(f"Senast borttagen: {last['name']} ({last['answers']} svar och {last['decided']} beslut"
             f"{', av ' + last['analyst'] if last.get('analyst') else ''}). Borttagningen kan ångras tills nästa "
             "fil tas bort: svaren, kodningarna, besluten och memona kommer tillbaka som de var.")
        if st.button("Ångra borttagning", key="import_undo_remove", disabled=not analyst or shell.read_only()):
            try:
                result = store.restore_removed_file(analyst)
            except StoreError as exc:
                st.error(md(exc))
                return
            st.session_state["import_restored"] = (
                f"{result['name']}: {result['answers']} svar och {result['decided']} beslut är tillbaka.")
            st.rerun()
        if not analyst:
            st.caption(shell.name_hint("ångra borttagningen"))


def _unresolved(store) -> None:
    pending = [r for r in store.respondents() if not r.resolved]
    st.subheader("Respondenter att rätta")
    if st.session_state.pop("import_fixed_flash", False):
        st.success("Respondenten är rättad.")
    if not pending:
        st.caption("Alla respondenter är kända i registret.")
        return
    entries = list(registry.all_respondents())
    st.write(f"{len(pending)} namn kunde inte kopplas till registret. Välj rätt respondent för varje.")
    analyst = state.analyst()
    for resp in pending:
        with st.container(border=True):
            st.text(f"Skrivet i filen: {resp.raw_name or resp.name}")
            suggested = list(registry.suggest(resp.raw_name or resp.name, 5))
            order = suggested + [e for e in entries if e not in suggested]
            choice = st.selectbox(
                "Rätt respondent", order, key=f"fix_{resp.id}",
                format_func=lambda e: f"{e.name} ({TYPE_SV.get(e.type, e.type)}, {e.lan or 'okänt län'})",
                                  placeholder="Välj",
            )
            if st.button("Spara rättelsen", key=f"fix_save_{resp.id}", disabled=not analyst):
                store.correct_respondent(int(resp.id), Respondent(choice.name, choice.type, choice.lan,
                                                                  choice.lan_code, choice.kommun_code),
                                         analyst)
                st.session_state["import_fixed_flash"] = True  # shown by the next run (see _unresolved)
                st.rerun()
    if not analyst:
        st.caption(shell.name_hint("spara rättelser"))


def render() -> None:
    st.title("Importera")
    store = shell.require_store()
    shell.require_editor()  # a läsare on a team server does not import
    created = st.session_state.pop("projekt_flash", None)
    if created:
        st.success(created + " Importera svarsfilerna här.")
    st.write(
        "Dra in svarsfiler (Word, Excel, CSV, PDF, text; även .doc, .odt, .rtf, inskannade PDF:er och sparade e-postmeddelanden .eml) eller "
        "REFI-QDA-projekt (.qdpx) och kodböcker (.qdc) från en kollega eller QualCoder, NVivo, MAXQDA och ATLAS.ti. "
        f"Flera filer på en gång går bra; högst {config.MAX_FILES_PER_BATCH} filer och "
        f"{config.human_size(config.MAX_FILE_BYTES)} per fil. Varje fil får en rad i rapporten, också de som inte "
        f"kan läsas eller är större än {config.human_size(config.MAX_FILE_BYTES)}. En fil över "
        f"{config.human_size(config.UPLOAD_CEILING_BYTES)} tar webbläsaren inte emot: den visas med rött i listan och "
        "kommer inte med i importen."
    )
    _optional_packages()
    mode = st.radio("Ladda upp", ["Filer", "En hel mapp"], horizontal=True, key="import_mode",
                    label_visibility="collapsed")
    # No type filter: every file is sent, so each gets an OK or FEL line saying what to do (with a filter the
    # browser refused other types in English and the report had no line for them)
    if mode == "Filer":
        uploads = st.file_uploader("Svarsfiler", type=None, accept_multiple_files=True, key="answer_files")
    else:
        uploads = st.file_uploader("Mapp med svarsfiler (även undermappar)", type=None,
                                   accept_multiple_files="directory", key="answer_folder")
    # a file over the limit (the server takes up to config.UPLOAD_CEILING_BYTES) is not copied and gets its FEL line
    # from its size; it has no round to choose
    files = [(u.name, u.getvalue() if u.size <= config.MAX_FILE_BYTES else u.getbuffer()) for u in uploads or []]
    fitting = [(name, data) for name, data in files if isinstance(data, bytes)]
    rounds, own_rounds = _round_choices(fitting) if fitting else ({}, {})
    if st.button("Importera", type="primary", disabled=not uploads, key="do_import"):
        _run_import(store, files, rounds, own_rounds)
    _report(store)
    st.divider()
    _file_rounds(store)
    st.divider()
    _reconciliation(store)
    st.divider()
    _unresolved(store)
    st.divider()
    _history(store)


render()

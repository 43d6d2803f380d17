"""The import report: a re-import says "inget nytt"; each file shows its detected respondent once."""
from __future__ import annotations

from tests.test_app_import import _app, _two_sample_files
from models.store import ProjectStore
from ui.highlight import SPLIT


def test_reimport_says_nothing_new_and_report_names_the_respondent(tmp_path):
    project = tmp_path / "import.sqlite"
    ProjectStore(project, name="Import").close()
    at = _app(tmp_path, project, "importera")
    files = _two_sample_files()
    at.file_uploader(key="answer_files").set_value(files).run()
    at.button(key="do_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    first = [m.value for m in at.markdown]
    assert any("2 av 2 filer importerade" in m for m in first), first
    table = _report_table(at)
    assert list(table["resultat"]) == ["ny", "ny"]
    assert all(table["respondent"].str.len() > 0)
    for n, msg in zip(table["svar"], table["meddelande"]):
        assert not str(msg).startswith(f"{n} svar")
    at.button(key="do_import").click().run()
    again = [m.value for m in at.markdown]
    assert any(m.startswith("Inget nytt: alla 2 filer var redan importerade") for m in again), again
    assert list(_report_table(at)["resultat"]) == ["oförändrad", "oförändrad"]


def _report_table(at):
    """The import report's table (the page also shows a table of the files' detected rounds)."""
    return next(d.value for d in at.dataframe if "resultat" in d.value.columns)


def test_import_history_shows_local_time_and_no_repeated_count(tmp_path):
    """The history's time reads as Swedish local time; the answer count stands in its own column only."""
    import re

    project = tmp_path / "history.sqlite"
    ProjectStore(project, name="Historik").close()
    at = _app(tmp_path, project, "importera")
    at.file_uploader(key="answer_files").set_value(_two_sample_files()).run()
    at.button(key="do_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    history = next(d.value for d in at.dataframe if "tid" in d.value.columns)
    assert len(history) == 2
    for when in history["tid"]:
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", str(when)), when
    for n, msg in zip(history["svar"], history["meddelande"]):
        assert not str(msg).startswith(f"{n} svar"), msg


def test_round_warning_shows_the_file_name_as_typed(tmp_path):
    """A file name is data: its Markdown is escaped in the round warning that names it."""
    project = tmp_path / "names.sqlite"
    ProjectStore(project, name="Namn").close()
    at = _app(tmp_path, project, "importera")
    name, data, mime = _two_sample_files()[0]
    odd = "**fet** [länk](http://example.com) " + name
    at.file_uploader(key="answer_files").set_value([(odd, data, mime)]).run()
    at.text_input(key="import_round").set_value("x" * 41).run()
    assert not at.exception, [e.value for e in at.exception]
    warning = next(w.value for w in at.warning if "för långt" in w.value)
    for raw in ("**fet**", "[länk](", "http://"):
        assert raw not in warning, warning
    shown = warning.replace(SPLIT, "").replace("\\", "")
    assert shown.startswith(odd + ": omgångens namn är för långt"), shown


def test_files_that_failed_are_listed_with_their_whole_message_above_the_table(tmp_path):
    """With a dozen files the report table scrolls and cuts its message column: the files that could not
    be imported are named with their whole Swedish message where the analyst looks first."""
    project = tmp_path / "fel.sqlite"
    ProjectStore(project, name="Fel").close()
    at = _app(tmp_path, project, "importera")
    files = _two_sample_files() + [("tom_fil.docx", b"", "application/octet-stream"),
                                   ("trasig.docx", b"PK\x03\x04 ingen riktig zip", "application/octet-stream")]
    at.file_uploader(key="answer_files").set_value(files).run()
    at.button(key="do_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    errors = " ".join(e.value for e in at.error)
    assert "2 filer kunde inte importeras:" in errors, errors
    listed = "\n".join(t.value for t in at.text)
    assert "tom_fil.docx: filen är tom (0 byte)." in listed, listed
    assert "trasig.docx: filen är skadad eller ofullständig" in listed, listed


def test_reimporting_one_file_says_nothing_new_in_the_singular(tmp_path):
    # qa21: "Inget nytt: filen var redan importerade med samma innehåll." (plural participle for one file)
    project = tmp_path / "en.sqlite"
    ProjectStore(project, name="En").close()
    at = _app(tmp_path, project, "importera")
    at.file_uploader(key="answer_files").set_value(_two_sample_files()[:1]).run()
    at.button(key="do_import").click().run()
    at.button(key="do_import").click().run()
    again = [m.value for m in at.markdown]
    assert "Inget nytt: filen var redan importerad med samma innehåll." in again, again


def test_a_long_warning_cut_in_its_cell_is_shown_whole_as_plain_text_when_its_row_is_selected(tmp_path):
    """qa27: a table cell is cut at the column's width (about 1,024 px on a laptop), so a long warning, message or
    excerpt could not be read; selecting its row shows the row's whole text below the table, as plain text."""
    from tests.test_import_pdf_text import _pdf

    project = tmp_path / "lang.sqlite"
    ProjectStore(project, name="Lång").close()
    at = _app(tmp_path, project, "importera")
    data = _pdf([[
        "Svar från: Kommunerna i Västmanlands län",
        "Fråga 13a. Beskriv insatser för att undvika slutenvård genom proaktiva arbetssätt, till exempel",
        "hemsjukvården gör planerade hembesök hos sköra äldre i <b>Köping</b>.",
        "Fråga 8a. Beskriv arbetet med samordnad individuell plan (SIP) och patientkontrakt i länet.",
        "samtliga kommuner har SIP-samordnare.",
    ]], header="Uppföljning 2023")
    at.file_uploader(key="answer_files").set_value([("vastmanland.pdf", data, "application/pdf")]).run()
    at.button(key="do_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    warnings = next(d.value for d in at.dataframe if "varning" in d.value.columns)
    row = next(i for i, w in enumerate(warnings["varning"]) if "hemsjukvården" in w)
    whole = warnings["varning"].iloc[row]
    assert len(whole) > 150 and "<b>Köping</b>" in whole
    assert whole not in [t.value for t in at.text]  # nothing chosen yet: the table only
    at.session_state["import_warning_table"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [t.value for t in at.text]
    assert whole in shown and "vastmanland.pdf" in shown, shown  # literally (st.text), with its file
    assert not any("hemsjukvården" in m.value for m in at.markdown)  # never as Markdown or HTML

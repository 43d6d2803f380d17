"""Answer files of kinds the other import tests do not build (QA pass qa18): each test fails without its fix."""
from __future__ import annotations

from importers.base import read_file
from tests.helpers.files import SCANNED_FORM, docx_bytes, scanned_pdf, xlsx_bytes


def _answers(data: bytes, name: str) -> dict[str, tuple[str, object]]:
    parsed = read_file(data, name)
    return {a.question: (a.text, a.choice) for a in parsed.answers}


def test_text_heading_going_back_in_form_order_with_abbreviated_wording_starts_its_question():
    # a sender answers 13a first, then "6) Beskriv digitalisering": the id goes backwards and the wording is
    # shortened; it was read as a list item of 13a's answer and question 6 was lost
    text = ("Region Norrbotten\n\n"
            "13a) Beskriv insatser kopplat till undvikbar slutenvård\n\n"
            "Mobila team planeras i Luleå under 2022.\n\n"
            "6) Beskriv digitalisering\n\n"
            "Distansmonitorering testas i Pajala.\n")
    got = _answers(text.encode(), "region_norrbotten.txt")
    assert got == {"13a": ("Mobila team planeras i Luleå under 2022.", None),
                   "6": ("Distansmonitorering testas i Pajala.", None)}


def test_numbered_list_inside_an_answer_stays_in_the_answer():
    # the guard of the fix above: "1. Vi har ..." items under 5a are the answer's list, not questions 1 and 2
    text = ("Region Norrbotten\n\n"
            "5a) Beskriv insatser, verksamheter och målgrupper som prioriterats\n\n"
            "Följande har gjorts:\n"
            "1. Vi har infört mobila team i Luleå.\n"
            "2. Handlingsplan för äldre beslutad i regionen.\n"
            "3. Systemledningen följer upp målbilden\n")
    got = _answers(text.encode(), "region_norrbotten.txt")
    assert list(got) == ["5a"]
    assert "Handlingsplan för äldre" in got["5a"][0]


_Q2 = "2. Finns det en beslutad länsgemensam handlingsplan kopplat till målbilden?"
_Q2_OPTIONS = ["Ja", "Ja, men arbete med att revidera handlingsplan pågår", "Nej, och inget förslag finns framtaget",
               "Nej, men förslag finns framtaget men är inte ännu beslutad av alla berörda parter"]


def test_option_marked_with_a_typed_x_is_the_choice_and_the_other_options_are_not_answer_text():
    # the sender deleted the checkboxes and typed "X" before the chosen option (tab between, as in Word)
    opts = [("X\t" if o.startswith("Nej, men") else "\t") + o for o in _Q2_OPTIONS]
    got = _answers(docx_bytes(["Region Örebro län", _Q2, *opts,
                          "5a. Beskriv insatser, verksamheter och målgrupper", "Fast läkarkontakt på tolv vårdcentraler."]),
                   "Region_Orebro_lan.docx")
    assert got["2"] == ("", _Q2_OPTIONS[3])
    assert got["5a"] == ("Fast läkarkontakt på tolv vårdcentraler.", None)


def test_option_marked_with_an_x_after_it_in_a_text_file():
    text = "Region Örebro län\n\n" + _Q2 + "\n" + "\n".join(o + ("   X" if o == "Ja" else "") for o in _Q2_OPTIONS) + "\n"
    assert _answers(text.encode(), "region_orebro.txt") == {"2": ("", "Ja")}


def test_closed_question_answered_by_typing_one_option_and_one_left_as_an_unmarked_list():
    # 2: only the chosen option was kept (the sender deleted the others) -> that is the choice;
    # 1: every option still there, none marked -> no answer, and the report says so
    q1 = "1. Finns det en beslutad länsgemensam målbild för omställningen till Nära vård i regionen och kommunerna?"
    parsed = read_file(docx_bytes(["Region Örebro län", q1, "Ja", "Ja, men arbete pågår med att revidera målbilden",
                              "Nej, och inget förslag finns framtaget", _Q2, "Ja, men arbete med att revidera handlingsplan pågår",
                              "3. Beskriv hur systemledningen i länet följer upp förflyttningen mot målbilden.",
                              "Uppföljning sker i regionala ledningsgruppen."]), "Region_Orebro_lan.docx")
    got = {a.question: (a.text, a.choice) for a in parsed.answers}
    assert got == {"2": ("", _Q2_OPTIONS[1]), "3": ("Uppföljning sker i regionala ledningsgruppen.", None)}
    assert any("fråga 1" in w and "markering" in w for w in parsed.warnings), parsed.warnings


def test_a_dash_in_a_sheet_cell_is_no_answer_as_in_a_word_form():
    # a Word field holding "-" gives no answer; the same dash in a CSV or Excel cell was stored as the answer "-"
    import csv
    import io

    import openpyxl

    buf = io.StringIO()
    csv.writer(buf).writerows([["Kommun", "Fråga", "Svar"], ["Västerviks kommun", "10a", "Gemensam hemsjukvård."],
                               ["Västerviks kommun", "14", "-"], ["Västerviks kommun", "15a", " – "]])
    assert _answers(buf.getvalue().encode(), "lang_export.csv") == {"10a": ("Gemensam hemsjukvård.", None)}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Kommun", "5a", "6", "13a"])
    ws.append(["Nybro kommun", "Personcentrerade samtal.", "-", "..."])
    out = io.BytesIO()
    wb.save(out)
    assert _answers(out.getvalue(), "bred_export.xlsx") == {"5a": ("Personcentrerade samtal.", None)}


def test_round_of_odt_doc_and_rtf_files_is_read_from_their_form_title():
    # the Word forms of a batch were proposed 2022-slut from their title, the .odt/.doc/.rtf of the same
    # batch only "2022" (from the name) or nothing: the round field split one collection in two
    import io
    import zipfile

    from models.rounds import detect_round, text_head

    title = "Slutredovisning av kommunernas arbete inom ramen för god och nära vård 2022"
    odt = io.BytesIO()
    with zipfile.ZipFile(odt, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", f'<office:document-content xmlns:office="o" xmlns:text="t"><office:body>'
                                   f'<text:h>{title}</text:h><text:p>Kommunerna i Blekinge län</text:p>'
                                   f'</office:body></office:document-content>')
    doc_utf16 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + title.encode("utf-16-le") + b"\r\x00" + b"\x00" * 64
    doc_8bit = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + title.encode("cp1252") + b"\r" + b"\x00" * 64
    rtf = (r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Calibri;}}\f0\fs24 Slutredovisning av kommunernas arbete inom "
           r"ramen f\'f6r god och n\'e4ra v\'e5rd 2022\par Lomma kommun\par}").encode("ascii")
    for name, data in [("Kommunerna_i_Blekinge_lan_2022.odt", odt.getvalue()), ("Lomma_kommun_svar.doc", doc_utf16),
                       ("Lomma_kommun_svar.doc", doc_8bit), ("Lomma_kommun.rtf", rtf)]:
        assert detect_round(name, text_head(name, data)) == "2022-slut", name


def test_a_typed_svar_label_before_the_answer_is_not_part_of_it():
    # the sender deleted the controls and wrote "Svar:" before each answer (in the line or on its own line)
    got = _answers(docx_bytes(["Lomma kommun", "10a. Beskriv de insatser som genomförts under året för att utveckla samverkan",
                          "Svar: Vi använder SIP i alla ärenden.", "13a. Beskriv insatser som genomförts under året",
                          "Svar:", "Mobila teamet gör hembesök.", "Svar: ja, på helger också."]), "Lomma_kommun.docx")
    assert got == {"10a": ("Vi använder SIP i alla ärenden.", None),
                   "13a": ("Mobila teamet gör hembesök.\nSvar: ja, på helger också.", None)}


def test_second_header_row_of_val_kommentar_svar_under_merged_question_numbers():
    # a survey export: "Fråga 1" merged over its two columns, the row below says which is the choice and which
    # the comment; that row was read as a respondent (named after the file) answering "Val" and "Svar",
    # and the comment column under the merged cell was dropped
    data = xlsx_bytes([["Respondent", "Fråga 1", "", "Fråga 5a", "Fråga 13a"],
                       ["", "Val", "Kommentar", "Svar", "Svar"],
                       ["Region Dalarna", "Ja", "Beslutad i regionstyrelsen 2021.", "Hälsocentraler för äldre.", "Mobila team."],
                       ["Region Gävleborg", "Nej, och inget förslag finns framtaget", "", "Fast vårdkontakt införs.", ""]],
                      merge="B1:C1", title="Export")
    parsed = read_file(data, "regioner_mitt_export.xlsx")
    got = {(a.respondent, a.question): (a.text, a.choice) for a in parsed.answers}
    assert got == {("Region Dalarna", "1"): ("Beslutad i regionstyrelsen 2021.", "Ja"),
                   ("Region Dalarna", "5a"): ("Hälsocentraler för äldre.", None),
                   ("Region Dalarna", "13a"): ("Mobila team.", None),
                   ("Region Gävleborg", "1"): ("", "Nej, och inget förslag finns framtaget"),
                   ("Region Gävleborg", "5a"): ("Fast vårdkontakt införs.", None)}
    assert not any("gissad" in w for w in parsed.warnings), parsed.warnings


def test_long_export_whose_question_column_is_called_fragetext():
    data = xlsx_bytes([["Kommun", "Frågetext", "Svar"],
                       ["Härnösands kommun", "Beskriv påbörjade eller genomförda nya initiativ och insatser under 2022 kopplat "
                                             "till digitalisering, inklusive digitala vårdmöten", "Digitala läkemedelsskåp."],
                       ["Härnösands kommun", "11a", "Förebyggande hembesök."]], title="Export")
    assert _answers(data, "harnosand_lang.xlsx") == {"6": ("Digitala läkemedelsskåp.", None),
                                                     "11a": ("Förebyggande hembesök.", None)}


def test_long_export_question_text_matching_several_questions_is_warned_not_a_silent_guess():
    data = ("Kommun;Fråga;Svar\n"
            "Nybro kommun;Om möjligt, beskriv resultat och effekter;Färre inläggningar.\n"
            "Nybro kommun;5a;Personcentrerade samtal.\n").encode()
    parsed = read_file(data, "lang_export.csv")
    assert {a.question for a in parsed.answers} == {"5b", "5a"}
    warned = [w for w in parsed.warnings if "Om möjligt" in w]
    assert len(warned) == 1 and "tolkad som fråga 5b" in warned[0] and "10b" in warned[0], parsed.warnings


def test_same_respondent_answering_a_question_in_a_second_file_is_reported(tmp_path):
    # Umeå kommun is a row of a wide export and sends a supplement answering 13a again: both answers are kept
    # (the project holds what respondents sent) but the import says so, naming the other file
    from models.importing import import_paths
    from models.store import ProjectStore

    wide = tmp_path / "uppfoljning_norrland_bred.xlsx"
    wide.write_bytes(xlsx_bytes([["Kommun", "5a", "13a"], ["Umeå kommun", "Trygg hemgång.", "Mobilt team sedan 2021."],
                                 ["Luleå kommun", "Fast omsorgskontakt.", ""]], title="Export"))
    extra = tmp_path / "umea_komplettering.csv"
    extra.write_text("Kommun;Fråga;Svar\nUmeå kommun;13a;Teamet har utökats till helger.\nUmeå kommun;6;Digital tillsyn.\n",
                     encoding="utf-8")
    store = ProjectStore(tmp_path / "p.sqlite", name="p")
    first, second = import_paths(store, [wide, extra])
    assert first.ok and second.ok and second.answers == 2
    assert not any("också" in w for w in first.warnings)
    dup = [w for w in second.warnings if "13a" in w]
    assert len(dup) == 1 and "Umeå kommun" in dup[0] and "uppfoljning_norrland_bred.xlsx" in dup[0], second.warnings
    assert not any("fråga 6" in w for w in second.warnings)
    assert sum(1 for a in store.answers() if a.question == "13a") == 2


def test_cli_ocr_progress_names_the_file_by_its_path_as_every_other_line(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    import pytest

    from importers import ocr

    if not ocr.available():
        print("hoppar över OCR-testet: tesseract med svenska (tesseract-ocr, tesseract-ocr-swe) saknas")
        pytest.skip("tesseract-ocr/tesseract-ocr-swe saknas")
    pdf = tmp_path / "Mora_kommun_inskannad.pdf"
    scanned_pdf(pdf, SCANNED_FORM)
    root = Path(__file__).resolve().parents[1]
    p = subprocess.run([sys.executable, str(root / "cli.py"), "import", str(pdf), "--db", str(tmp_path / "p.sqlite"),
                        "--no-analyse"], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert f"INFO {pdf}: OCR sida 1 av 1" in p.stderr.splitlines(), p.stderr


def _form_with_controls(items: list[tuple[str, str]]) -> bytes:
    """A Word document of ('q', text) question paragraphs, ('field', text) filled block content controls
    ('' = showing the placeholder) and ('p', text) plain paragraphs."""
    import io

    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = docx.Document()
    body = d.element.body
    for kind, text in items:
        if kind == "field":
            ph = "<w:showingPlcHdr/>" if not text else ""
            shown = text or "Klicka eller tryck här för att ange text."
            xml = (f"<w:sdt {w}><w:sdtPr>{ph}<w:text/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>{shown}</w:t></w:r></w:p>"
                   "</w:sdtContent></w:sdt>")
        else:
            xml = f"<w:p {w}><w:r>{'<w:rPr><w:b/></w:rPr>' if kind == 'q' else ''}<w:t>{text}</w:t></w:r></w:p>"
        body.insert(len(body) - 1, parse_xml(xml))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_text_typed_below_a_filled_answer_field_is_kept_and_reported():
    # the sender filled the box and went on writing under it: that text was dropped without a word
    data = _form_with_controls([
        ("p", "Bodens kommun"),
        ("q", "5a. Beskriv insatser, verksamheter och målgrupper som prioriterats under året"),
        ("field", "Boden har infört fast omsorgskontakt i hemtjänsten."),
        ("p", "Dessutom har vi startat ett anhörigstöd med digitala träffar."),
        ("q", "6. Beskriv påbörjade eller genomförda nya initiativ och insatser under 2022"), ("field", ""),
        ("q", "13a. Beskriv insatser som genomförts under året kopplat till undvikbar slutenvård"),
        ("field", "Mobilt team med regionen sedan 2020."),
    ])
    parsed = read_file(data, "Bodens_kommun.docx")
    got = {a.question: a.text for a in parsed.answers}
    assert got == {"5a": "Boden har infört fast omsorgskontakt i hemtjänsten.\n"
                         "Dessutom har vi startat ett anhörigstöd med digitala träffar.",
                   "13a": "Mobilt team med regionen sedan 2020."}
    assert any("fråga 5a" in w and "efter svarsfältet" in w for w in parsed.warnings), parsed.warnings


def test_a_date_in_an_excel_answer_cell_reads_as_the_date_typed():
    import datetime

    data = xlsx_bytes([["Kommun", "4 val", "4 kommentar", "13a"],
                       ["Piteå kommun", "Ja, alla länets kommuner", datetime.datetime(2022, 5, 17),
                        datetime.datetime(2022, 9, 1, 8, 30)]], title="Export")
    assert _answers(data, "pitea_bred.xlsx") == {"4": ("2022-05-17", "Ja, alla länets kommuner"),
                                                 "13a": ("2022-09-01 08:30", None)}


def test_checkbox_option_wrapped_over_two_lines_is_not_answer_text():
    # a PDF (or a text copy) of the form wraps the long last option; its second line "berörda parter"
    # became the comment of question 1
    text = ("Region Skåne\n\n"
            "1. Finns det en beslutad länsgemensam målbild för omställningen till Nära vård i regionen och kommunerna?\n"
            "☒ Ja\n☐ Ja, men arbete pågår med att revidera målbilden\n☐ Nej, och inget förslag finns framtaget\n"
            "☐ Nej, men förslag finns framtaget men är inte ännu beslutad av alla\nberörda parter\n"
            "Lämna gärna en kommentar här:\nMålbilden beslutades i mars.\n")
    assert _answers(text.encode(), "region_skane.txt") == {"1": ("Målbilden beslutades i mars.", "Ja")}
    # the checked option itself wrapped: its whole text is the choice
    text2 = text.replace("☒ Ja\n", "☐ Ja\n").replace("☐ Nej, men", "☒ Nej, men")
    assert _answers(text2.encode(), "region_skane.txt")["1"] == (
        "Målbilden beslutades i mars.", "Nej, men förslag finns framtaget men är inte ännu beslutad av alla berörda parter")


def test_symbol_font_bullets_of_a_pdf_copy_become_ordinary_bullets():
    # Word's bullets come out of a PDF (and a copy-paste of it) as private-use glyphs U+F0B7 / U+F0A7
    text = ("Region Skåne\n\n6. Beskriv påbörjade eller genomförda nya initiativ och insatser under 2022\n"
            "Under året har vi:\n\uf0b7\tInfört digitala vårdmöten\n\uf0a7 Startat egenmonitorering\n")
    got = _answers(text.encode(), "region_skane.txt")["6"][0]
    assert got == "Under året har vi:\n• Infört digitala vårdmöten\n• Startat egenmonitorering", got


def test_hidden_sheet_is_not_imported_and_is_named_in_the_report():
    # a hidden sheet "Utkast" held an earlier draft: its answers came in beside the real ones, doubling them
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Svar"
    ws.append(["Kommun", "5a", "13a"])
    ws.append(["Örnsköldsviks kommun", "Fast omsorgskontakt i hela hemtjänsten.", "Mobilt team sedan 2022."])
    draft = wb.create_sheet("Utkast")
    draft.append(["Kommun", "5a", "13a"])
    draft.append(["Örnsköldsviks kommun", "Utkast: fast omsorgskontakt planeras.", "Utkast"])
    draft.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    parsed = read_file(out.getvalue(), "ornskoldsvik.xlsx")
    assert [(a.question, a.text) for a in parsed.answers] == [("5a", "Fast omsorgskontakt i hela hemtjänsten."),
                                                              ("13a", "Mobilt team sedan 2022.")]
    assert any(w.startswith("blad 'Utkast' hoppades över") and "dolt" in w for w in parsed.warnings), parsed.warnings
    # only hidden sheets hold answers: refused, saying the sheet is hidden
    ws.sheet_state = "hidden"
    draft.sheet_state = "visible"
    wb.active = 1
    draft.delete_rows(1, 2)
    draft["A1"] = "Tomt"
    out = io.BytesIO()
    wb.save(out)
    import pytest

    from importers.errors import ImportFailure

    with pytest.raises(ImportFailure) as exc:
        read_file(out.getvalue(), "ornskoldsvik.xlsx")
    assert "'Svar'" in exc.value.problem and "dolt" in exc.value.problem, exc.value.problem


def test_round_of_a_utf16_text_file_is_read_from_its_title():
    # Notepad's "Unicode" (UTF-16 with BOM) text file: imported fine, but its round was never proposed
    from models.rounds import detect_round, text_head

    text = "Slutredovisning av kommunernas arbete inom ramen för god och nära vård 2022\r\nKommunerna i Västernorrlands län\r\n"
    for data in (b"\xff\xfe" + text.encode("utf-16-le"), b"\xfe\xff" + text.encode("utf-16-be")):
        assert detect_round("svar_vasternorrland.txt", text_head("svar_vasternorrland.txt", data)) == "2022-slut"


def test_answer_pasted_as_a_picture_is_reported_not_dropped_silently():
    # the answer field of 13a holds only a pasted picture (a screenshot of a table): nothing can be read, and the
    # import said "OK 1 svar" without a word about 13a
    import io

    import docx
    from docx.oxml import parse_xml
    from PIL import Image

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    png = io.BytesIO()
    Image.new("RGB", (200, 60), "white").save(png, "PNG")
    png.seek(0)
    d = docx.Document()
    d.add_paragraph("Gällivare kommun")
    d.add_paragraph("13a. Beskriv insatser som genomförts under året kopplat till undvikbar slutenvård")
    d.add_picture(png)
    picture = d.element.body[-2]
    field = parse_xml(f"<w:sdt {w}><w:sdtPr/><w:sdtContent/></w:sdt>")
    picture.addprevious(field)
    field[-1].append(picture)
    d.add_paragraph("6. Beskriv påbörjade eller genomförda nya initiativ och insatser under 2022")
    d.add_paragraph("Digital tillsyn i hemtjänsten.")
    buf = io.BytesIO()
    d.save(buf)
    parsed = read_file(buf.getvalue(), "Gallivare_kommun.docx")
    assert [(a.question, a.text) for a in parsed.answers] == [("6", "Digital tillsyn i hemtjänsten.")]
    assert any("fråga 13a" in w and "bild" in w for w in parsed.warnings), parsed.warnings
    assert not any("fråga 6" in w for w in parsed.warnings), parsed.warnings


def test_answer_referring_to_an_attachment_is_reported():
    # "Se bilaga" is kept as the answer (it is what was sent), and the report says the attachment is elsewhere
    data = ("Kommun;Fråga;Svar\nNybro kommun;6;Se bilaga\nNybro kommun;5a;Personcentrerade samtal i hemtjänsten.\n"
            "Timrå kommun;14;Vi samarbetar med Sundsvall.\nSe även bilaga 2 om bemanning.\n").encode()
    data = data.replace(b"\nSe \xc3\xa4ven", b" Se \xc3\xa4ven")
    parsed = read_file(data, "lang_export.csv")
    assert {(a.respondent, a.question): a.text for a in parsed.answers}[("Nybro kommun", "6")] == "Se bilaga"
    refs = [w for w in parsed.warnings if "bilaga" in w]
    assert len(refs) == 2 and any("Nybro kommun" in w and "fråga 6" in w for w in refs), parsed.warnings
    assert any("Timrå kommun" in w and "fråga 14" in w for w in refs), parsed.warnings


def test_a_percentage_formatted_excel_cell_reads_as_the_percentage_shown():
    import io

    import openpyxl

    from importers.sheet_reader import XlsxReader

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Respondent", "12a", "12b", "13a"])
    ws.append(["Piteå kommun", 0.25, 0.125, "Vi har mobila team i hela kommunen."])
    ws.append(["Luleå kommun", 3, 0.5, "Vi arbetar med SIP."])
    ws["B2"].number_format = "0%"
    ws["C2"].number_format = "0.0%"
    ws["C3"].number_format = "0.00%"
    buf = io.BytesIO()
    wb.save(buf)
    got = {(a.respondent, a.question): a.text for a in XlsxReader().read(buf.getvalue(), "andelar.xlsx").answers}
    assert got[("Piteå kommun", "12a")] == "25 %"
    assert got[("Piteå kommun", "12b")] == "12,5 %"
    assert got[("Luleå kommun", "12b")] == "50,00 %"
    assert got[("Luleå kommun", "12a")] == "3"  # a number without a percentage format stays as it is

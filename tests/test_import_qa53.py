"""qa53: the import leftovers of qa47, each file built here by the test.

- a fillable PDF form's checkboxes and radio buttons (AcroForm widgets, not in the page's text) read as the
  closed question's choice: the option is the text on the same line nearest the box;
- fillable PDF text fields in a form laid out in two columns;
- a legacy Word form field that lost its default text (a .doc through LibreOffice) but still shows an
  imperative placeholder ("Klicka här och skriv"): no answer, and said in the report;
- a number or a date alone in a free-text answer: kept, with a report line naming the cell;
- the Word report's quote inside a quote: ’…’ inside ”…”.
"""
from __future__ import annotations

import io

import pytest

from importers.base import read_file
from tests.helpers.files import libreoffice_convert

A3 = "Ledningsgruppen följer upp målbilden varje halvår med gemensamma mått."
A6 = "Alla vårdcentraler erbjuder videobesök sedan våren."
OPT1 = ["Ja", "Ja, men arbete pågår med att revidera målbilden", "Nej, och inget förslag finns framtaget"]


def _fillable(build, widgets) -> bytes:
    """A PDF written by fpdf (`build(pdf)` returns positions in mm from the top) with AcroForm widgets added
    by pypdf: `widgets(pos, height)` gives (kind, name, value, rect, extra) tuples."""
    fpdf = pytest.importorskip("fpdf")
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (ArrayObject, BooleanObject, DictionaryObject, FloatObject, NameObject,
                               NumberObject, TextStringObject)

    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pos = build(pdf)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(pdf.output()))))
    page = writer.pages[0]
    height = float(page.mediabox.height)
    annots = ArrayObject()
    fields = ArrayObject()
    groups: dict = {}
    for kind, name, value, rect, on in widgets(pos, height):
        d = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
                              NameObject("/Rect"): ArrayObject([FloatObject(v) for v in rect])})
        if kind == "text":
            d.update({NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject(name),
                      NameObject("/V"): TextStringObject(value), NameObject("/Ff"): NumberObject(4096)})
        elif kind == "check":
            d.update({NameObject("/FT"): NameObject("/Btn"), NameObject("/T"): TextStringObject(name),
                      NameObject("/V"): NameObject("/Yes" if on else "/Off"),
                      NameObject("/AS"): NameObject("/Yes" if on else "/Off")})
        else:  # a radio button: a kid of its group, the group holds the value
            if name not in groups:
                group = DictionaryObject({
                    NameObject("/FT"): NameObject("/Btn"), NameObject("/T"): TextStringObject(name),
                    NameObject("/Ff"): NumberObject(49152), NameObject("/Kids"): ArrayObject(),
                    NameObject("/V"): NameObject("/Off")})
                groups[name] = (group, writer._add_object(group))
                fields.append(groups[name][1])
            group, group_ref = groups[name]
            if on:
                group[NameObject("/V")] = NameObject("/" + value)
            d[NameObject("/AS")] = NameObject("/" + value if on else "/Off")
            d[NameObject("/Parent")] = group_ref
            ref = writer._add_object(d)
            group["/Kids"].append(ref)
            annots.append(ref)
            continue
        ref = writer._add_object(d)
        annots.append(ref)
        fields.append(ref)
    page[NameObject("/Annots")] = annots
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): fields, NameObject("/NeedAppearances"): BooleanObject(True)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _mm(height, y_mm):
    return height - y_mm * 72 / 25.4


def test_a_fillable_pdf_forms_ticked_boxes_are_the_closed_questions_choice():
    # before: "PDF-formulärets 2 ikryssade kryssrutor (formulärfält) kunde inte läsas som val" and no choice
    def build(pdf):
        pos = {}
        pdf.cell(0, 8, "Slutredovisning 2022 - Region Sormland", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 5, "1. Finns det en beslutad länsgemensam målbild för omställningen till Nära vård i "
                             "regionen och kommunerna?", new_x="LMARGIN", new_y="NEXT")
        for i, label in enumerate(OPT1):  # one option a line, the box left of its label
            pos[("1", i)] = pdf.get_y()
            pdf.set_x(20)
            pdf.cell(0, 6, label, new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 5, "4. Finns det en beslutad länsgemensam handlingsplan kopplat till målbilden för "
                             "regionen?", new_x="LMARGIN", new_y="NEXT")
        pos["4"] = pdf.get_y()  # the options side by side on one line, each after its box
        pdf.set_x(20)
        pdf.cell(40, 6, "Ja")
        pdf.set_x(70)
        pdf.cell(40, 6, "Nej", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 5, "3. Beskriv hur systemledningen i länet (region och kommuner) följer upp "
                             "förflyttningen mot målbilden.", new_x="LMARGIN", new_y="NEXT")
        pos["3"] = pdf.get_y() + 2
        return pos

    def widgets(pos, height):
        for i in range(len(OPT1)):
            top = _mm(height, pos[("1", i)] + 1)
            yield "check", f"kryss_1_{i}", None, [42, top - 10, 52, top], i == 1
        top = _mm(height, pos["4"] + 1)
        yield "radio", "val_4", "Alt1", [42, top - 10, 52, top], False
        yield "radio", "val_4", "Alt2", [184, top - 10, 194, top], True
        top = _mm(height, pos["3"])
        yield "text", "svar_3", A3, [30, top - 40, 560, top], None

    parsed = read_file(_fillable(build, widgets), "Region_Sormland_2022.pdf")
    got = {a.question: (a.text, a.choice) for a in parsed.answers}
    assert got == {"1": ("", OPT1[1]), "4": ("", "Nej"), "3": (A3, None)}, (got, parsed.warnings)
    assert ("PDF-formulärets 2 ikryssade kryssrutor (formulärfält) lästes som val: alternativet är texten på "
            "samma rad närmast rutan") in parsed.warnings, parsed.warnings
    assert not any("kunde inte läsas som val" in w for w in parsed.warnings), parsed.warnings


def test_a_box_after_a_question_on_its_line_is_no_option_label():
    # a ticked box at the end of the question's own line, no label beside it: the question stays a heading and
    # the box is reported as not read (the glyph before "4. Finns det …" made the line no heading)
    def build(pdf):
        pos = {}
        pdf.cell(0, 8, "Slutredovisning 2022 - Region Sormland", new_x="LMARGIN", new_y="NEXT")
        pos["4"] = pdf.get_y()
        pdf.cell(120, 6, "4. Finns det en beslutad länsgemensam handlingsplan?", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 5, "3. Beskriv hur systemledningen i länet (region och kommuner) följer upp "
                             "förflyttningen mot målbilden.", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 5, A3, new_x="LMARGIN", new_y="NEXT")
        return pos

    def widgets(pos, height):
        top = _mm(height, pos["4"] + 1)
        yield "check", "kryss_4", None, [480, top - 10, 490, top], True

    parsed = read_file(_fillable(build, widgets), "Region_Sormland_2022.pdf")
    assert {a.question: a.text for a in parsed.answers} == {"3": A3}, parsed.answers
    assert ("PDF-formulärets 1 ikryssade kryssruta (formulärfält) kunde inte läsas som val; se originalfilen och "
            "ange valet i appen") in parsed.warnings, parsed.warnings


Q3 = "3. Beskriv hur systemledningen i länet (region och kommuner) följer upp förflyttningen mot målbilden."
Q6 = ("6. Beskriv påbörjade eller genomförda nya initiativ och insatser under 2022 kopplat till digitalisering "
      "inklusive egenmonitorering och välfärdsteknik.")
Q7 = "7. Beskriv särskilt riktade insatser kopplat till invånare i glesbygd och / eller socioekonomiskt utsatta områden."
Q8 = ("8a. Beskriv de insatser som påbörjats eller genomförts under året för att öka personens/patientens "
      "delaktighet.")
A7 = "Mobila team besöker byarna i inlandet varannan vecka."
A8 = "Patientkontrakt erbjuds alla med fler än tre inläggningar."


def test_fillable_pdf_text_fields_in_two_columns_go_under_their_own_question():
    # two questions side by side, each with its field below it, then two more side by side
    def build(pdf):
        pos = {}
        pdf.cell(0, 8, "Slutredovisning 2022 - Region Sormland", new_x="LMARGIN", new_y="NEXT")
        for left, right in ((("3", Q3), ("6", Q6)), (("7", Q7), ("8a", Q8))):
            y = pdf.get_y()
            pdf.set_xy(10, y)
            pdf.multi_cell(90, 5, left[1])
            pos[left[0]] = (10, pdf.get_y() + 2)
            low = pdf.get_y()
            pdf.set_xy(110, y)
            pdf.multi_cell(90, 5, right[1])
            pos[right[0]] = (110, pdf.get_y() + 2)
            pdf.set_xy(10, max(low, pdf.get_y()) + 30)
        return pos

    def widgets(pos, height):
        for qid, value in (("3", A3), ("6", A6), ("7", A7), ("8a", A8)):
            x, y = pos[qid]
            top = _mm(height, y)
            left = x * 72 / 25.4
            yield "text", f"svar_{qid}", value, [left, top - 60, left + 250, top], None

    parsed = read_file(_fillable(build, widgets), "Region_Sormland_2022.pdf")
    got = {a.question: a.text for a in parsed.answers}
    assert got == {"3": A3, "6": A6, "7": A7, "8a": A8}, (got, parsed.warnings)
    assert ("filen är ett ifyllbart PDF-formulär: texten i 4 ifyllda fält lästes som svar på frågan ovanför "
            "fältet (fälten står i spalter bredvid varandra; frågan ovanför fältet i samma spalt)") in parsed.warnings


# ---------------------------------------------------------------- a legacy form field without its default text

def _legacy_form(default: bool) -> bytes:
    import docx

    from tests.test_import_qa47 import _legacy_field

    d = docx.Document()
    d.add_paragraph("Slutredovisning 2022. Svar från: Region Dalarna")
    d.add_paragraph(Q3)
    _legacy_field(d.add_paragraph(), "FORMTEXT", result=A3)
    d.add_paragraph(Q7)
    _legacy_field(d.add_paragraph(), "FORMTEXT", result="Klicka här och skriv",
                  default="Klicka här och skriv" if default else None)  # untouched
    d.add_paragraph(Q6)
    _legacy_field(d.add_paragraph(), "FORMTEXT", result=A6)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_a_legacy_field_without_its_default_still_showing_a_prompt_is_unanswered_and_reported():
    # before: 'Klicka här och skriv' stored as the answer to 7 without a word (the field kept no w:default)
    parsed = read_file(_legacy_form(default=False), "Region_Dalarna_2022.docx")
    got = {a.question: a.text for a in parsed.answers}
    assert got == {"3": A3, "6": A6}, got
    # the question the field stands under is named (qa55; before: only the text it showed)
    assert ("1 formulärfält (äldre Word-formulärfält) visar en uppmaning (fråga 7: 'Klicka här och skriv') men "
            "formuläret "
            "har ingen sparad standardtext att jämföra med (den försvinner när formuläret sparas som .doc eller går "
            "genom LibreOffice); fältet lästes som obesvarat — kontrollera i originalet att uppmaningen inte är "
            "svaret") in parsed.warnings, parsed.warnings
    # with its default saved the field is the known untouched default: no answer, no line
    parsed = read_file(_legacy_form(default=True), "Region_Dalarna_2022.docx")
    assert {a.question: a.text for a in parsed.answers} == {"3": A3, "6": A6}
    assert not any("uppmaning" in w for w in parsed.warnings), parsed.warnings


def test_a_legacy_field_form_saved_as_doc_by_libreoffice(tmp_path):
    # the real case: the form saved as .doc (LibreOffice drops the field's default text on the way back)
    data = libreoffice_convert(tmp_path, "Region_Dalarna_2022.docx", _legacy_form(default=True), "doc")
    parsed = read_file(data, "Region_Dalarna_2022.doc")
    assert {a.question: a.text for a in parsed.answers} == {"3": A3, "6": A6}
    assert any("visar en uppmaning (fråga 7: 'Klicka här och skriv')" in w for w in parsed.warnings), parsed.warnings


# ---------------------------------------------------------------- a number or date alone in a free-text answer

def test_a_number_or_date_alone_in_a_free_text_answer_is_kept_and_reported():
    import datetime

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Svar"
    ws.append(["Respondent", "3", "6", "7"])
    ws.append(["Region Dalarna", A3, 12, datetime.datetime(2022, 10, 5)])
    ws.append(["Region Halland", 0.5, A6, "Sedan 2021 finns mobila team i glesbygd."])
    ws["B3"].number_format = "0%"
    buf = io.BytesIO()
    wb.save(buf)
    # before: kept without a word
    parsed = read_file(buf.getvalue(), "svar.xlsx")
    got = {(a.respondent, a.question): a.text for a in parsed.answers}
    assert got[("Region Dalarna", "6")] == "12" and got[("Region Dalarna", "7")] == "2022-10-05"
    assert got[("Region Halland", "3")] == "50 %", got
    lines = [w for w in parsed.warnings if "är bara ett tal eller datum" in w]
    assert lines == [
        "blad 'Svar', cell C2 (kolumn '6'): '12' (Region Dalarna, fråga 6) är bara ett tal eller datum utan text; "
        "det lästes som svaret — kontrollera att det hör till frågan",
        "blad 'Svar', cell D2 (kolumn '7'): '2022-10-05' (Region Dalarna, fråga 7) är bara ett tal eller datum utan "
        "text; det lästes som svaret — kontrollera att det hör till frågan",
        "blad 'Svar', cell B3 (kolumn '3'): '50 %' (Region Halland, fråga 3) är bara ett tal eller datum utan text; "
        "det lästes som svaret — kontrollera att det hör till frågan"], parsed.warnings

    # a long CSV (respondent, question, answer)
    data = ("Respondent;Fråga;Svar\nRegion Dalarna;3;" + A3 + "\nRegion Dalarna;6;2022-10-05\n").encode("utf-8")
    parsed = read_file(data, "svar.csv")
    assert {a.question: a.text for a in parsed.answers} == {"3": A3, "6": "2022-10-05"}
    assert ("rad 3, kolumn 'Svar': '2022-10-05' (Region Dalarna, fråga 6) är bara ett tal eller datum utan text; "
            "det lästes som svaret — kontrollera att det hör till frågan") in parsed.warnings, parsed.warnings


# ---------------------------------------------------------------- the Word report's quote inside a quote

def test_the_word_reports_quote_inside_a_quote_uses_swedish_single_marks(tmp_path):
    import docx

    from export.docx_report import to_docx
    from models.records import CodingSuggestion, ParsedFile, Question, RawAnswer
    from models.store import ProjectStore
    from tests.test_export_support import DOC, _span, resolve

    store = ProjectStore(tmp_path / "p.sqlite")
    try:
        store.save_codebook_doc(DOC)
        store.upsert_questions([Question("13a", "Undvikbar slutenvård genom proaktiva arbetssätt")])
        texts = ["Mobila team med ”trygg hemgång” finns i hela länet.",
                 'Vi har startat "mobila team" i två kommuner.']
        store.import_parsed(ParsedFile("svar.xlsx", "xlsx", "sha-qa53", 100, [
            RawAnswer(r, "13a", t, position=i) for i, (r, t) in enumerate(zip(("Region Dalarna", "Region Skåne"),
                                                                              texts))]), resolve)
        sugg = []
        for a in store.answers():
            s, e = _span(a.text, a.text)
            es, ee = _span(a.text, "obila team")
            sugg.append(CodingSuggestion(a.id, "mobila_team", s, e, es, ee, confidence=0.9))
        store.replace_suggestions(sugg)
        for c in store.codings():
            store.decide(c.id, "accepted", "Anna")
        quotes = sorted(p.text for p in docx.Document(io.BytesIO(to_docx(store))).paragraphs
                        if p.style.name == "Quote")
    finally:
        store.close()
    # before: ”Mobila team med ”trygg hemgång” finns i hela länet.” (the same marks nested)
    assert quotes == ["”Mobila team med ’trygg hemgång’ finns i hela länet.”",
                      "”Vi har startat ’mobila team’ i två kommuner.”"], quotes


# ---------------------------------------------------------------- a question heading out of order (seen in the walk)

def test_a_heading_out_of_the_forms_order_and_wording_is_named_in_the_report():
    # a respondent put 5a after 13a and rewrote its wording: by the form's order it is a line of 13a's answer
    # (an answer may number its own points); before, it was kept there without a word
    text = ("Svar från: Region Halland\n\n"
            "13a. Beskriv insatser som genomförts under året kopplat till undvikbar slutenvård genom proaktiva "
            "arbetssätt.\nBrukarråd har införts i alla närområden.\n\n"
            "5a. Beskriv de insatser som har stärkt ett personcentrerat förhållningssätt.\n"
            "Personcentrerade samtal i all primärvård.\n")
    parsed = read_file(text.encode("utf-8"), "Region_Halland_2022.txt")
    assert [a.question for a in parsed.answers] == ["13a"]
    assert ("fråga 13a: raden '5a. Beskriv de insatser som har stärkt ett personcentrerat förhållningssätt.' ser ut "
            "som rubriken till fråga 5a men följer inte formulärets ordning eller ordalydelse; den lästes som en del "
            "av svaret på fråga 13a — kontrollera i filen") in parsed.warnings, parsed.warnings
    # an answer's own numbered points are no such line
    text = text.split("5a.")[0] + "1. Vi har infört brukarråd.\n2. Beskrivning av arbetet finns i årsrapporten.\n"
    assert not read_file(text.encode("utf-8"), "Region_Halland_2022.txt").warnings

"""qa47: answer files in forms the importers had not met, each built here by the test.

- a transposed table (questions as rows, respondents as columns): a "-" cell is no answer, with a report line
  naming its cell, as in the other layouts;
- a Word form of legacy form fields (FORMTEXT / FORMCHECKBOX, Word 97's "formulärfält") instead of content
  controls: a field's result is its answer, a field still showing its default text or only spaces is unanswered
  (text typed after such a field is the answer, as for a content control);
- a PDF in two narrow columns whose question wording wraps over three lines and ends in words of its own: the
  wrapped tail is no part of the answer (and the report names it).
"""
from __future__ import annotations

import csv
import io

import docx
import openpyxl
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from importers.base import read_file

A3 = "Ledningsgruppen följer upp målbilden varje halvår med gemensamma mått."
A6 = "Alla vårdcentraler erbjuder videobesök sedan våren."
A13 = "Sjuksköterskor ringer upp äldre dagen efter hemgång från sjukhuset."


# ---------------------------------------------------------------- transposed table

def _transposed_rows():
    return [["Fråga", "Region Halland", "Region Kalmar län"],
            ["3", A3, "-"],
            ["6", "–", A6],
            ["13a", A13, "..."]]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_dash_in_a_transposed_table_is_no_answer_and_is_reported(kind):
    rows = _transposed_rows()
    if kind == "xlsx":
        wb = openpyxl.Workbook()
        wb.active.title = "Jämförelse"
        for r in rows:
            wb.active.append(r)
        buf = io.BytesIO()
        wb.save(buf)
        data = buf.getvalue()
    else:
        out = io.StringIO()
        csv.writer(out, delimiter=";").writerows(rows)
        data = out.getvalue().encode("utf-8")
    parsed = read_file(data, f"jamforelse.{kind}")
    got = {(a.respondent, a.question): a.text for a in parsed.answers}
    assert got == {("Region Halland", "3"): A3, ("Region Kalmar län", "6"): A6, ("Region Halland", "13a"): A13}
    lines = [w for w in parsed.warnings if "ingen bokstav eller siffra" in w]
    assert len(lines) == 3, parsed.warnings
    if kind == "xlsx":
        assert lines[0] == ("blad 'Jämförelse', cell C2: '-' (Region Kalmar län, fråga 3) har ingen bokstav eller "
                            "siffra och lästes som inget svar")
        assert lines[1].startswith("blad 'Jämförelse', cell B3: '–' (Region Halland, fråga 6)")
    else:
        assert lines[0] == ("rad 2, kolumn 3: '-' (Region Kalmar län, fråga 3) har ingen bokstav eller siffra och "
                            "lästes som inget svar")
        assert lines[2].startswith("rad 4, kolumn 3: '...' (Region Kalmar län, fråga 13a)")


# ---------------------------------------------------------------- legacy form fields

def _run(text):
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    r.append(t)
    return r


def _field_char(kind, ff=None):
    r = OxmlElement("w:r")
    fc = OxmlElement("w:fldChar")
    fc.set(qn("w:fldCharType"), kind)
    if ff is not None:
        fc.append(ff)
    r.append(fc)
    return r


def _legacy_field(p, kind, result=None, default=None, checked=False):
    """A legacy form field as Word writes it: begin (with w:ffData), instruction, separate, result runs, end."""
    ff = OxmlElement("w:ffData")
    name = OxmlElement("w:name")
    name.set(qn("w:val"), "Text1")
    ff.append(name)
    ff.append(OxmlElement("w:enabled"))
    if kind == "FORMTEXT":
        ti = OxmlElement("w:textInput")
        if default is not None:
            d = OxmlElement("w:default")
            d.set(qn("w:val"), default)
            ti.append(d)
        ff.append(ti)
    else:
        cb = OxmlElement("w:checkBox")
        cb.append(OxmlElement("w:sizeAuto"))
        if checked:
            cb.append(OxmlElement("w:checked"))
        ff.append(cb)
    p._p.append(_field_char("begin", ff))
    r = OxmlElement("w:r")
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {kind} "
    r.append(it)
    p._p.append(r)
    if kind == "FORMTEXT":
        p._p.append(_field_char("separate"))
        for piece in (result if isinstance(result, list) else [result if result is not None else "\u2002" * 5]):
            p._p.append(_run(piece))
    p._p.append(_field_char("end"))


def test_a_form_of_legacy_form_fields():
    d = docx.Document()
    d.add_paragraph("Slutredovisning 2022. Svar från: Region Dalarna")
    d.add_paragraph("1. Finns det en beslutad länsgemensam målbild för omställningen till Nära vård i regionen och "
                    "kommunerna?")
    for label, on in [("Ja", False), ("Ja, men arbete pågår med att revidera målbilden", True)]:
        p = d.add_paragraph()
        _legacy_field(p, "FORMCHECKBOX", checked=on)
        p._p.append(_run(" " + label))
    d.add_paragraph("3. Beskriv hur systemledningen i länet (region och kommuner) följer upp förflyttningen mot "
                    "målbilden.")
    _legacy_field(d.add_paragraph(), "FORMTEXT", result=[A3[:20], A3[20:]])  # the result in two runs
    d.add_paragraph("6. Beskriv påbörjade eller genomförda nya initiativ och insatser under 2022 kopplat till "
                    "digitalisering inklusive egenmonitorering och välfärdsteknik.")
    _legacy_field(d.add_paragraph(), "FORMTEXT", result="Skriv ert svar här", default="Skriv ert svar här")
    d.add_paragraph("7. Beskriv särskilt riktade insatser kopplat till invånare i glesbygd och / eller "
                    "socioekonomiskt utsatta områden.")
    _legacy_field(d.add_paragraph(), "FORMTEXT")  # never filled: five en spaces
    d.add_paragraph("13a. Beskriv insatser som genomförts under året kopplat till undvikbar slutenvård genom "
                    "proaktiva arbetssätt.")
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Svar:"
    _legacy_field(table.rows[0].cells[1].paragraphs[0], "FORMTEXT", default="Skriv här")  # unfilled, in a table
    d.add_paragraph(A13)  # typed below the field instead of into it
    buf = io.BytesIO()
    d.save(buf)
    parsed = read_file(buf.getvalue(), "Region_Dalarna_2022.docx")
    got = {a.question: (a.text, a.choice) for a in parsed.answers}
    assert {a.respondent for a in parsed.answers} == {"Region Dalarna"}
    assert got == {"1": ("", "Ja, men arbete pågår med att revidera målbilden"), "3": (A3, None),
                   "13a": (A13, None)}, got


def test_a_legacy_field_keeps_an_answer_that_differs_from_its_default():
    d = docx.Document()
    d.add_paragraph("Svar från: Region Dalarna")
    d.add_paragraph("6. Beskriv påbörjade eller genomförda nya initiativ och insatser under 2022 kopplat till "
                    "digitalisering inklusive egenmonitorering och välfärdsteknik.")
    _legacy_field(d.add_paragraph(), "FORMTEXT", result="Skriv här: " + A6, default="Skriv här")
    buf = io.BytesIO()
    d.save(buf)
    parsed = read_file(buf.getvalue(), "dalarna.docx")
    assert [(a.question, a.text) for a in parsed.answers] == [("6", "Skriv här: " + A6)]


# ---------------------------------------------------------------- a PDF in two narrow columns

def test_question_wording_wrapped_in_a_narrow_column_is_not_the_answer():
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 8, "Slutredovisning 2022 - Region Vastmanland", new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y() + 4
    # the form's 13a reads "... genom proaktiva arbetssätt, och vilka ..."; this file words its end otherwise
    columns = [[("3. Beskriv hur systemledningen i länet (region och kommuner) följer upp förflyttningen mot "
                 "målbilden.", A3)],
               [("13a. Beskriv insatser som genomförts under året kopplat till undvikbar slutenvård genom "
                 "proaktivt arbetssätt.", A13)]]
    for col, items in enumerate(columns):
        x = 10 + col * 95
        pdf.set_xy(x, top)
        for heading, answer in items:
            for text in (heading, answer):
                pdf.set_x(x)
                pdf.multi_cell(85, 5, text, new_x="LEFT", new_y="NEXT")
    parsed = read_file(bytes(pdf.output()), "Region_Vastmanland_2022.pdf")
    got = {a.question: a.text for a in parsed.answers}
    assert got == {"3": A3, "13a": A13}, got
    assert any(w.startswith("fråga 13a: raden '") and "slutet av frågans rubrik" in w for w in parsed.warnings), \
        parsed.warnings


# ---------------------------------------------------------------- merged question numbers over sub-questions

def test_sub_questions_under_a_merged_question_number_and_rows_below_an_empty_row():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kommunsvar"
    ws["A1"] = "Sammanställning Västernorrland"  # row 2 is empty: the reported row numbers are the sheet's
    ws.append([])
    ws.append(["Kommun", "Fråga 5", None, "Fråga 13", None])
    ws.merge_cells("B3:C3")
    ws.merge_cells("D3:E3")
    ws.append([None, "a) insatser", "b) resultat", "a)", "b)"])
    ws.append(["Sundsvalls kommun", A3, "Färre inläggningar bland de äldsta.", A13, None])
    ws.append(["Totalt", "2 svar", None, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    parsed = read_file(buf.getvalue(), "vasternorrland.xlsx")
    got = {(a.respondent, a.question): a.text for a in parsed.answers}
    # before: "Fråga 5" / "Fråga 13" were read as questions 5 and 13, the sub-header row as a respondent
    # guessed from the file name with "a) insatser" as its answers, and the column under the merge was lost
    assert got == {("Sundsvalls kommun", "5a"): A3, ("Sundsvalls kommun", "5b"): "Färre inläggningar bland de äldsta.",
                   ("Sundsvalls kommun", "13a"): A13}, got
    assert ("rad 4 lästes som delfrågor under frågenumren ovanför ('a) insatser' = fråga 5a, 'b) resultat' = "
            "fråga 5b, 'a)' = fråga 13a, 'b)' = fråga 13b)") in parsed.warnings, parsed.warnings
    assert "rad 6: 'Totalt' är en summeringsrad, inte en respondent; raden hoppades över" in parsed.warnings


# ---------------------------------------------------------------- tracked changes

def test_tracked_changes_are_read_as_accepted_and_said_in_the_report():
    d = docx.Document()
    d.add_paragraph("Svar från: Region Blekinge")
    d.add_paragraph("3. Beskriv hur systemledningen i länet (region och kommuner) följer upp förflyttningen mot "
                    "målbilden.")
    p = d.add_paragraph()
    p._p.append(_run(A3 + " "))
    ins = OxmlElement("w:ins")
    for k, v in (("w:id", "1"), ("w:author", "Granskare"), ("w:date", "2022-11-01T10:00:00Z")):
        ins.set(qn(k), v)
    ins.append(_run("Även kommunerna deltar."))
    p._p.append(ins)
    dl = OxmlElement("w:del")
    for k, v in (("w:id", "2"), ("w:author", "Granskare"), ("w:date", "2022-11-01T10:00:00Z")):
        dl.set(qn(k), v)
    r = OxmlElement("w:r")
    t = OxmlElement("w:delText")
    t.text = " En struken mening."
    r.append(t)
    dl.append(r)
    p._p.append(dl)
    buf = io.BytesIO()
    d.save(buf)
    parsed = read_file(buf.getvalue(), "Region_Blekinge_2022.docx")
    assert [(a.question, a.text) for a in parsed.answers] == [("3", A3 + " Även kommunerna deltar.")]
    assert ("dokumentet har spårade ändringar som inte godkänts: 1 infogning lästes som en del av svaren och "
            "1 borttagning togs inte med ('En struken mening.') — kontrollera i originalet att det är den "
            "slutliga versionen") in parsed.warnings, parsed.warnings


# ---------------------------------------------------------------- a fillable PDF form

def test_a_fillable_pdf_forms_text_fields_are_its_answers():
    fpdf = pytest.importorskip("fpdf")
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (ArrayObject, BooleanObject, DictionaryObject, FloatObject, NameObject,
                               NumberObject, TextStringObject)

    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 8, "Slutredovisning 2022 - Region Sormland", new_x="LMARGIN", new_y="NEXT")
    tops = {}
    for qid, wording in (("3", "Beskriv hur systemledningen i länet (region och kommuner) följer upp förflyttningen "
                                "mot målbilden."),
                         ("6", "Beskriv påbörjade eller genomförda nya initiativ och insatser under 2022 kopplat "
                               "till digitalisering inklusive egenmonitorering och välfärdsteknik."),
                         ("13a", "Beskriv insatser som genomförts under året kopplat till undvikbar slutenvård "
                                 "genom proaktiva arbetssätt.")):
        pdf.multi_cell(0, 5, f"{qid}. {wording}", new_x="LMARGIN", new_y="NEXT")
        tops[qid] = pdf.get_y() + 2
        pdf.ln(22)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(pdf.output()))))
    page = writer.pages[0]
    height = float(page.mediabox.height)
    fields = ArrayObject()
    values = {"3": A3, "6": "", "13a": A13 + "\nDessutom ringer vi upp."}  # 6 left empty
    for qid, value in values.items():
        top = height - tops[qid] * 72 / 25.4
        fields.append(writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject(f"svar_{qid}"),
            NameObject("/V"): TextStringObject(value), NameObject("/Ff"): NumberObject(4096),
            NameObject("/Rect"): ArrayObject([FloatObject(30), FloatObject(top - 50), FloatObject(560),
                                              FloatObject(top)])})))
    fields.append(writer._add_object(DictionaryObject({  # a ticked form checkbox: reported, not read
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/FT"): NameObject("/Btn"), NameObject("/T"): TextStringObject("kryss_1"),
        NameObject("/V"): NameObject("/Yes"),
        NameObject("/Rect"): ArrayObject([FloatObject(30), FloatObject(40), FloatObject(40), FloatObject(50)])})))
    page[NameObject("/Annots")] = fields
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): fields, NameObject("/NeedAppearances"): BooleanObject(True)})
    out = io.BytesIO()
    writer.write(out)
    # before: refused ("hittade inga svar i filen"): the fields' text is not in the page's text layer
    parsed = read_file(out.getvalue(), "Region_Sormland_2022.pdf")
    got = {a.question: a.text for a in parsed.answers}
    assert {a.respondent for a in parsed.answers} == {"Region Sormland"}  # as written; the store resolves it
    assert got == {"3": A3, "13a": A13 + "\nDessutom ringer vi upp."}, got
    assert ("filen är ett ifyllbart PDF-formulär: texten i 2 ifyllda fält lästes som svar på frågan ovanför "
            "fältet") in parsed.warnings
    assert ("PDF-formulärets 1 ikryssade kryssruta (formulärfält) kunde inte läsas som val; se originalfilen och "
            "ange valet i appen") in parsed.warnings, parsed.warnings


def test_justified_pdf_text_keeps_single_spaces():
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 8, "Slutredovisning 2022 - Region Vastmanland", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(80, 5, "3. Beskriv hur systemledningen i länet (region och kommuner) följer upp förflyttningen mot "
                          "målbilden.", new_x="LMARGIN", new_y="NEXT")
    # justified text as a TrueType font's PDF gives it: the widened spaces come out as runs of spaces
    for line in ("Ledningsgruppen  följer  upp  målbilden  varje", "halvår med gemensamma mått."):
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    parsed = read_file(bytes(pdf.output()), "vastmanland.pdf")
    texts = [a.text for a in parsed.answers]
    assert texts == [A3], texts


def _dropdown(p, entries, result):
    ff = OxmlElement("w:ffData")
    name = OxmlElement("w:name")
    name.set(qn("w:val"), "Dropdown1")
    ff.append(name)
    dl = OxmlElement("w:ddList")
    if result is not None:
        chosen = OxmlElement("w:result")
        chosen.set(qn("w:val"), str(result))
        dl.append(chosen)
    for e in entries:
        entry = OxmlElement("w:listEntry")
        entry.set(qn("w:val"), e)
        dl.append(entry)
    ff.append(dl)
    p._p.append(_field_char("begin", ff))
    r = OxmlElement("w:r")
    it = OxmlElement("w:instrText")
    it.text = " FORMDROPDOWN "
    r.append(it)
    p._p.append(r)
    p._p.append(_field_char("end"))


def test_a_legacy_drop_down_field_gives_the_closed_questions_choice():
    # before: a FORMDROPDOWN has no result text in the document, so the chosen option was lost without a word
    d = docx.Document()
    d.add_paragraph("Svar från: Region Dalarna")
    d.add_paragraph("1. Finns det en beslutad länsgemensam målbild för omställningen till Nära vård i regionen och "
                    "kommunerna?")
    _dropdown(d.add_paragraph(), ["Välj ett alternativ", "Ja", "Ja, men arbete pågår med att revidera målbilden"], 2)
    d.add_paragraph("2. Finns det en beslutad länsgemensam handlingsplan kopplat till målbilden?")
    _dropdown(d.add_paragraph(), ["Välj ett alternativ", "Ja", "Nej, och inget förslag finns framtaget"], 0)  # prompt
    d.add_paragraph("4. Har kommunerna i länet en kommunspecifik handlingsplan kopplat till målbilden?")
    _dropdown(d.add_paragraph(), ["Ja, alla länets kommuner", "Nej, ingen"], None)  # never chosen
    d.add_paragraph("3. Beskriv hur systemledningen i länet (region och kommuner) följer upp förflyttningen mot "
                    "målbilden.")
    d.add_paragraph(A3)
    buf = io.BytesIO()
    d.save(buf)
    parsed = read_file(buf.getvalue(), "Region_Dalarna_2022.docx")
    got = {a.question: (a.text, a.choice) for a in parsed.answers}
    assert got == {"1": ("", "Ja, men arbete pågår med att revidera målbilden"), "3": (A3, None)}, got


def test_hidden_rows_and_columns_of_a_visible_sheet_are_read_and_reported():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Svar"
    ws.append(["Kommun", "3", "7"])
    ws.append(["Gävle kommun", A3, A6])
    ws.append(["Sandvikens kommun", A13, "Mobilt team i glesbygden."])
    ws.append(["Ockelbo kommun", "Enkät till brukarna.", ""])
    ws.row_dimensions[3].hidden = True  # filtered away in Excel
    ws.column_dimensions["C"].hidden = True
    buf = io.BytesIO()
    wb.save(buf)
    parsed = read_file(buf.getvalue(), "gavleborg.xlsx")
    assert len(parsed.answers) == 5  # nothing dropped
    assert ("blad 'Svar': rad 3 och kolumn C är dolda i Excel men lästes som resten av bladet (t.ex. bortfiltrerade "
            "rader eller en gömd kolumn) — kontrollera att de ska med") in parsed.warnings, parsed.warnings


# ---------------------------------------------------------------- an e-mail with the form attached

def _varmland_form() -> bytes:
    """A Word answer file of Region Värmland answering question 3 (A3)."""
    d = docx.Document()
    d.add_paragraph("Svar från: Region Värmland")
    d.add_paragraph("3. Beskriv hur systemledningen i länet (region och kommuner) följer upp förflyttningen mot "
                    "målbilden.")
    d.add_paragraph(A3)
    form = io.BytesIO()
    d.save(form)
    return form.getvalue()


def test_an_emails_attached_answer_file_is_read():
    from email.message import EmailMessage

    form = _varmland_form()
    m = EmailMessage()
    m["From"], m["To"] = "Anna Berg <anna.berg@example.se>", "analys@example.se"
    m["Subject"] = "Slutredovisning 2022"
    m.set_content("Hej!\n\nHär kommer vårt svar som bilaga.\n\nMed vänlig hälsning\nAnna\n")
    m.add_attachment(form, maintype="application",
                     subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                     filename="Region_Varmland_2022.docx")
    m.add_attachment(b"\x89PNG\r\n\x1a\n", maintype="image", subtype="png", filename="logga.png")
    # before: refused ("hittade inga svar i filen"), the form in the attachment never read
    parsed = read_file(bytes(m), "svar_varmland.eml")
    assert [(a.respondent, a.question, a.text) for a in parsed.answers] == [("Region Värmland", "3", A3)]
    assert ("e-postmeddelandets bilaga 'Region_Varmland_2022.docx' lästes som svarsfil (meddelandets egen text "
            "hade inga svar)") in parsed.warnings, parsed.warnings
    assert any(w.startswith("e-postmeddelandet har bilagan 'logga.png', som inte lästes") for w in parsed.warnings)


def test_an_answer_both_in_the_email_and_in_its_attachment_is_kept_twice_and_reported():
    from email.message import EmailMessage

    form = _varmland_form()
    m = EmailMessage()
    m["From"], m["Subject"] = "Anna Berg <anna.berg@example.se>", "Svar från Region Värmland 2022"
    m.set_content("Hej!\n\n3. Systemledningen\nVi följer upp i ledningsgruppen.\n\nMvh Anna\n")
    m.add_attachment(form, maintype="application", subtype="octet-stream",
                     filename="Region_Varmland_2022.docx")
    parsed = read_file(bytes(m), "svar.eml")
    assert [(a.respondent, a.question) for a in parsed.answers] == [("Region Värmland", "3")] * 2
    assert ("Region Värmland, fråga 3: svar både i e-postmeddelandet och i bilagan 'Region_Varmland_2022.docx'; "
            "båda svaren finns kvar — kontrollera om det ena är en äldre version") in parsed.warnings, parsed.warnings


def test_formulas_without_a_saved_value_are_reported():
    # openpyxl, like any program writing .xlsx, saves formulas without calculating them: Excel has never computed
    # the cell, so it holds no text to read (before: the answers were empty cells, dropped without a word)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Svar"
    ws.append(["Kommun", "3", "7"])
    ws.append(["Gävle kommun", '="Uppföljning sker "&"varje kvartal."', "Mobilt team i glesbygden."])
    ws.append(["Sandvikens kommun", A3, "=B3"])
    buf = io.BytesIO()
    wb.save(buf)
    parsed = read_file(buf.getvalue(), "gavleborg.xlsx")
    assert [(a.respondent, a.question) for a in parsed.answers] == [("Gävle kommun", "7"), ("Sandvikens kommun", "3")]
    assert ("blad 'Svar': 2 celler (B2, C3) har en formel utan sparat värde och lästes som tomma (filen har skapats "
            "av ett program och aldrig sparats i Excel) — öppna filen i Excel, spara den och importera den igen"
            ) in parsed.warnings, parsed.warnings

"""QA round 32: answer files in shapes no earlier test covers — an answer sent as an e-mail (header, inline reply
under quoted questions, the earlier mail quoted below, a signature), a long export writing one answer over
several rows, a template's example row, Word checkboxes inserted as Wingdings symbols, an X typed in a table
beside the options, one Word section per kommun with the kommun in the section's page header, and a
"Kommun | name" table row between two kommuners' tables."""
from __future__ import annotations

import csv
import io

import docx
import openpyxl
import pytest
from docx.enum.section import WD_SECTION
from docx.oxml import parse_xml

from importers.base import read_file
from importers.errors import ImportFailure
from importers.forms_compat import kommun_form
from tests.helpers.files import document_bytes as _save, form_wording as _wording

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"')
_KOMMUN = {q.id: q for q in kommun_form()}


def _answers(parsed):
    return [(a.respondent, a.question, a.text, a.choice) for a in parsed.answers]


# --- an answer sent as an e-mail -----------------------------------------------------------------------------------

def _mail() -> str:
    return "\n".join([
        "Från: Anna Lind <anna.lind@example.se>",
        "Skickat: den 14 februari 2023 09:12",
        "Till: uppfoljning@example.se",
        "Ämne: SV: Uppföljning nära vård 2022 – Jönköpings kommun",
        "",
        "Hej!",
        "",
        "Här kommer svaren, jag har svarat direkt under frågorna.",
        "",
        f"> Fråga 5 a) {_wording('5a')}",
        "",
        "Vi har prioriterat hemsjukvården och ett trygghetsteam.",
        "",
        f"> Fråga 11 a) {_wording('11a')}",
        "",
        "Fallprevention erbjuds alla över 75 år.",
        "",
        "Med vänlig hälsning",
        "Anna Lind",
        "Utvecklingsledare",
        "Tel. 036-10 20 30",
        "",
        "-----Ursprungligt meddelande-----",
        "Från: Uppföljning <uppfoljning@example.se>",
        "Skickat: den 1 februari 2023 14:00",
        "Ämne: Uppföljning nära vård 2022",
        "",
        "> Hej, svara senast den 15 februari.",
        f"> Fråga 12 a) {_wording('12a')}",
        "> Tack på förhand!",
        ""])


def test_an_email_reply_is_read_without_header_quoted_mail_and_signature():
    parsed = read_file(_mail().encode("utf-8"), "SV_Uppfoljning.txt")
    assert _answers(parsed) == [
        ("Jönköpings kommun", "5a", "Vi har prioriterat hemsjukvården och ett trygghetsteam.", None),
        ("Jönköpings kommun", "11a", "Fallprevention erbjuds alla över 75 år.", None)]
    notes = " | ".join(parsed.warnings)
    assert "e-postmeddelande" in notes and "Ursprungligt meddelande" in notes
    assert "'Med vänlig hälsning' och 3 rader till" in notes
    assert "2 citerade frågerubriker" in notes


def test_an_email_in_gmail_style_with_answers_above_the_quoted_mail():
    mail = "\n".join([
        "From: Per Ek <per.ek@example.se>", "Date: Thu, 16 Feb 2023 at 10:02",
        "Subject: Re: Enkät nära vård – Växjö kommun", "To: <uppfoljning@example.se>", "",
        "Hej, här är svaren.", "", "5a.", "Växjö har satsat på trygg hemgång.", "",
        "13a.", "Mobila team besöker äldre efter utskrivning.", "", "Mvh Per", "",
        "Den tors 2 feb. 2023 kl 14:00 skrev Uppföljning <uppfoljning@example.se>:",
        f"> 5a. {_wording('5a')}", "> Ett svar som inte är Växjös.", f"> 13a. {_wording('13a')}", ""])
    parsed = read_file(mail.encode("utf-8"), "svar.txt")
    assert _answers(parsed) == [("Växjö kommun", "5a", "Växjö har satsat på trygg hemgång.", None),
                                ("Växjö kommun", "13a", "Mobila team besöker äldre efter utskrivning.", None)]
    assert any("skrev Uppföljning" in w for w in parsed.warnings)


def test_a_sender_is_a_respondent_only_when_it_is_an_organisation():
    # a person's address on a "Från:" line is no respondent; a form's own "Från: Region Dalarna" still is
    text = f"Från: Anna Lind <anna.lind@example.se>\n\n5a. {_wording('5a')}\nVi har infört hälsosamtal.\n"
    assert read_file(text.encode(), "Region_Dalarna_svar.txt").answers[0].respondent == "Region Dalarna"
    text = f"Från: Region Dalarna\nDatum: 2023-02-14\n\n5a. {_wording('5a')}\nVi har infört hälsosamtal.\n"
    parsed = read_file(text.encode(), "svar.txt")
    assert _answers(parsed) == [("Region Dalarna", "5a", "Vi har infört hälsosamtal.", None)]
    assert not any("e-post" in w for w in parsed.warnings)  # two labelled lines are no mail header


def test_a_file_with_only_quoted_questions_is_still_refused_by_name():
    mail = "\n".join(["Från: A <a@example.se>", "Skickat: idag", "Ämne: Enkät", "",
                      f"> Fråga 5 a) {_wording('5a')}", "> Svara senast fredag.", ""])
    with pytest.raises(ImportFailure, match="tom_kommun.txt: hittade inga svar"):
        read_file(mail.encode(), "tom_kommun.txt")


# --- long export: one answer over several rows; a template's example row ---------------------------------------

def _csv(rows, delimiter=",") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    return buf.getvalue().encode("utf-8")


def test_rows_without_respondent_and_question_continue_the_answer_above():
    data = _csv([["Respondent", "Fråga", "Svar"],
                 ["Region Kronoberg", "5a", "Tre huvudspår."], ["", "", "Det första är fast vårdkontakt."],
                 ["", "", "Det andra är SIP."], ["Region Kronoberg", "10a", "Ett avtal om hemsjukvård."],
                 ["Alvesta kommun", "5a", "Hemsjukvård dygnet runt."], ["Alvesta kommun", "", "Även nattetid."],
                 ["Ljungby kommun", "", "En rad av en annan respondent utan fråga."]])
    parsed = read_file(data, "lang_export.csv")
    assert _answers(parsed) == [
        ("Region Kronoberg", "5a", "Tre huvudspår.\nDet första är fast vårdkontakt.\nDet andra är SIP.", None),
        ("Region Kronoberg", "10a", "Ett avtal om hemsjukvård.", None),
        ("Alvesta kommun", "5a", "Hemsjukvård dygnet runt.\nÄven nattetid.", None)]
    notes = " | ".join(parsed.warnings)
    assert "rad 3–4 har svarstext men varken respondent eller fråga" in notes and "rad 2 (Region Kronoberg" in notes
    assert "rad 7 har svarstext" in notes
    assert "1 rad(er) hoppades över: frågan tom känns inte igen" in notes  # the other respondent's row: reported


def test_a_templates_example_row_is_no_respondent():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Svar"
    ws.append(["Kommun", "5a", "6"])
    ws.append(["Exempel", "Här beskriver ni era insatser.", "Här beskriver ni era digitala initiativ."])
    ws.append(["Karlstads kommun", "Trygg hemgång för alla över 80 år.", "Digital tillsyn nattetid."])
    parsed = read_file(_save(wb), "varmland.xlsx")
    assert {a.respondent for a in parsed.answers} == {"Karlstads kommun"}
    assert any("rad 2: respondenten 'Exempel' är mallens exempelrad" in w for w in parsed.warnings)
    long = _csv([["Respondent", "Fråga", "Svar"], ["Exempelkommun", "5a", "Så här kan ett svar se ut."],
                 ["Arvika kommun", "5a", "Rehabilitering i hemmet."]], ";")
    parsed = read_file(long, "lang.csv")
    assert _answers(parsed) == [("Arvika kommun", "5a", "Rehabilitering i hemmet.", None)]
    assert any("'Exempelkommun' är mallens exempelrad" in w for w in parsed.warnings)


# --- Word: checkboxes as Wingdings symbols, an X in a table beside the options ----------------------------------

_OPTS1 = ["Ja", "Ja, men arbete pågår med att revidera målbilden", "Nej, och inget förslag finns framtaget",
          "Nej, men förslag finns framtaget men är inte ännu beslutad av alla berörda parter"]


def test_checkboxes_inserted_as_wingdings_symbols_give_the_choice():
    d = docx.Document()
    d.add_paragraph("Region Östergötland")
    d.add_paragraph(f"1. {_wording('1')}")
    for o in _OPTS1:  # Insert > Symbol: w:sym, checked F0FE / empty F0A8
        p = d.add_paragraph()
        p._p.append(parse_xml(f'<w:r {NS}><w:sym w:font="Wingdings" w:char="{"F0FE" if o == _OPTS1[1] else "F0A8"}"/></w:r>'))
        p.add_run(" " + o)
    d.add_paragraph(f"4. {_wording('4')}")
    opts4 = ["Ja", "Ja, men arbete med att revidera handlingsplanen pågår", "Nej, men arbete pågår", "Nej"]
    for o in opts4:  # the glyph typed in a Wingdings run ("þ" checked, "¨" empty)
        p = d.add_paragraph()
        r = p.add_run("þ" if o == "Nej" else "¨")
        r.font.name = "Wingdings"
        p.add_run(" " + o)
    parsed = read_file(_save(d), "ostergotland.docx")
    assert _answers(parsed) == [("Region Östergötland", "1", "", _OPTS1[1]), ("Region Östergötland", "4", "", "Nej")]


def test_an_x_typed_in_a_table_beside_the_options_gives_the_choice():
    d = docx.Document()
    d.add_paragraph("Region Östergötland")
    d.add_paragraph(f"1. {_wording('1')}")
    t = d.add_table(rows=0, cols=2)
    for o in _OPTS1:
        row = t.add_row()
        row.cells[0].text, row.cells[1].text = o, ("X" if o == _OPTS1[2] else "")
    d.add_paragraph(f"3. {_wording('3')}")
    t = d.add_table(rows=0, cols=2)  # a table of text with a short cell is no option list
    for a, b in [("Ledningsrådet", "X"), ("Indikatorer", "följs upp varje kvartal")]:
        row = t.add_row()
        row.cells[0].text, row.cells[1].text = a, b
    parsed = read_file(_save(d), "ostergotland.docx")
    assert _answers(parsed)[0] == ("Region Östergötland", "1", "", _OPTS1[2])
    assert "följs upp varje kvartal" in _answers(parsed)[1][2]


# --- Word: several kommuner in one file --------------------------------------------------------------------------

_OPTS9 = _KOMMUN["9a"].options


def _kommun_part(d, answer: str, choice: str) -> None:
    d.add_paragraph(f"5a. {_KOMMUN['5a'].text}")
    d.add_paragraph(answer)
    d.add_paragraph(f"9a. {_KOMMUN['9a'].text}")
    for o in _OPTS9:
        d.add_paragraph(("☒ " if o == choice else "☐ ") + o)


def test_one_section_per_kommun_with_the_kommun_in_the_sections_header():
    d = docx.Document()
    parts = [("Bollnäs kommun", "Samordnad hemgång.", _OPTS9[1]), ("Hofors kommun", "Ett äldrestödsteam.", _OPTS9[2]),
             ("Sandvikens kommun", "Fokus på demenssjukdom.", _OPTS9[1])]
    for n, (k, answer, choice) in enumerate(parts):
        sec = d.sections[0] if n == 0 else d.add_section(WD_SECTION.NEW_PAGE)
        sec.header.is_linked_to_previous = False
        sec.header.paragraphs[0].text = f"{k} – uppföljning nära vård 2022"
        _kommun_part(d, answer, choice)
    parsed = read_file(_save(d), "gavleborgs_kommuner.docx")
    assert _answers(parsed) == [(k, q, t, c) for k, answer, choice in parts
                                for q, t, c in (("5a", answer, None), ("9a", "", choice))]
    assert any("en sektion per respondent med respondenten i sidhuvudet" in w for w in parsed.warnings)


def test_sections_with_one_header_are_one_respondent():
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Hofors kommun"
    _kommun_part(d, "Ett äldrestödsteam.", _OPTS9[2])
    d.add_section(WD_SECTION.NEW_PAGE)  # linked to the previous header
    d.add_paragraph(f"12a. {_KOMMUN['12a'].text}")
    d.add_paragraph("Sjuksköterskorna samlades i en organisation.")
    parsed = read_file(_save(d), "svar.docx")
    assert {a.respondent for a in parsed.answers} == {"Hofors kommun"} and len(parsed.answers) == 3
    assert not any("sektion" in w for w in parsed.warnings)


def test_a_kommun_label_row_of_the_next_table_is_not_the_tail_of_the_answer_above():
    d = docx.Document()
    for k, answer in [("Bollnäs kommun", "Samordnad hemgång."), ("Hofors kommun", "Ett äldrestödsteam.")]:
        t = d.add_table(rows=2, cols=2)
        t.cell(0, 0).text, t.cell(0, 1).text = "Kommun", k
        t.cell(1, 0).text, t.cell(1, 1).text = f"5a. {_KOMMUN['5a'].text}", answer
        d.add_paragraph("")
    parsed = read_file(_save(d), "kommuner.docx")
    assert _answers(parsed) == [("Bollnäs kommun", "5a", "Samordnad hemgång.", None),
                                ("Hofors kommun", "5a", "Ett äldrestödsteam.", None)]



# --- text: an answer typed on the id's own line ------------------------------------------------------------------

def test_an_answer_typed_on_the_ids_line_is_kept_and_named():
    text = "\n".join(["Växjö kommun", "", "5a. Vi har satsat på trygg hemgång för äldre.", "",
                      f"13a. {_KOMMUN['13a'].text}", "Mobila team besöker äldre.", "",
                      "14. Övrigt om arbetet", "Inget att tillägga.", "", "15a. Beskriv arbetet med kompetens.", ""])
    parsed = read_file(text.encode("utf-8"), "vaxjo.txt")
    assert _answers(parsed) == [("Växjö kommun", "5a", "Vi har satsat på trygg hemgång för äldre.", None),
                                ("Växjö kommun", "13a", "Mobila team besöker äldre.", None),
                                ("Växjö kommun", "14", "Inget att tillägga.", None)]
    assert any("fråga 5a: texten efter '5a' på samma rad" in w for w in parsed.warnings)
    # an empty question whose heading is a wording ("Beskriv …") is no answer; a short title is no answer either
    assert not any("fråga 15a" in w or "fråga 14:" in w for w in parsed.warnings)


def test_a_greeting_and_signature_at_the_end_of_a_text_answer_are_no_answer():
    text = "\n".join(["Ljungby kommun", "", f"5a. {_KOMMUN['5a'].text}", "Hälsosamtal för alla som fyller 75.", "",
                      "Med vänlig hälsning", "Eva Ek", ""])
    parsed = read_file(text.encode("utf-8"), "ljungby.txt")
    assert _answers(parsed) == [("Ljungby kommun", "5a", "Hälsosamtal för alla som fyller 75.", None)]
    assert any("('Med vänlig hälsning' och 1 rad till) lästes inte som svar" in w for w in parsed.warnings)
    # a greeting followed by more than a signature is left alone
    long = text.replace("Eva Ek", "\n".join(f"Rad {k} av ett längre stycke." for k in range(10)))
    assert "Med vänlig hälsning" in read_file(long.encode("utf-8"), "ljungby.txt").answers[0].text


# --- a saved e-mail (.eml) ------------------------------------------------------------------------------------------

def test_a_saved_email_is_read_and_its_attachment_named():
    from email.message import EmailMessage

    m = EmailMessage()
    m["From"], m["To"] = "Karin Sjö <karin.sjo@example.se>", "uppfoljning@example.se"
    m["Subject"] = "SV: Uppföljning nära vård 2022 – Värnamo kommun"
    m.set_content("Hej!\n\nFråga 5 a)\nVärnamo har startat ett trygghetsteam.\n\nHälsningar\nKarin\n")
    m.add_attachment(b"data", maintype="application", subtype="octet-stream", filename="bilaga.docx")
    parsed = read_file(bytes(m), "svar.eml")
    assert parsed.format == "eml"
    assert _answers(parsed) == [("Värnamo kommun", "5a", "Värnamo har startat ett trygghetsteam.", None)]
    assert any("bilagan 'bilaga.docx'" in w for w in parsed.warnings)
    h = EmailMessage()  # an HTML-only mail from the kommun's own address; the quoted block is no answer
    h["From"], h["Subject"] = "Gislaveds kommun <info@example.se>", "Svar enkät"
    h.set_content("<p>5a.</p><p>Hemsjukvård &amp; rehab i hemmet.</p><blockquote><p>Gammal text.</p></blockquote>",
                  subtype="html")
    parsed = read_file(bytes(h), "svar.eml")
    assert _answers(parsed) == [("Gislaveds kommun", "5a", "Hemsjukvård & rehab i hemmet.", None)]


def test_an_outlook_msg_file_is_refused_with_what_to_do():
    with pytest.raises(ImportFailure, match=r"svar\.msg: filtypen \.msg stöds inte.*spara meddelandet som \.eml"):
        read_file(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "svar.msg")


# --- Word: "Svar" as a label cell or paragraph of its own --------------------------------------------------------

def test_a_svar_label_in_a_cell_of_its_own_is_not_answer_text():
    d = docx.Document()
    d.add_paragraph("Region Halland")
    d.add_paragraph(f"3. {_wording('3')}")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Svar", "Uppföljning i ledningsgruppen."
    d.add_paragraph(f"1. {_wording('1')}")
    d.add_paragraph("☒ Ja")
    d.add_paragraph("Kommentar")
    d.add_paragraph("Beslutad 2021.")
    d.add_paragraph(f"5a. {_wording('5a')}")
    d.add_paragraph("Svar")
    d.add_paragraph("Svar från brukarrådet har samlats in.")
    parsed = read_file(_save(d), "halland.docx")
    assert _answers(parsed) == [("Region Halland", "3", "Uppföljning i ledningsgruppen.", None),
                                ("Region Halland", "1", "Beslutad 2021.", "Ja"),
                                ("Region Halland", "5a", "Svar från brukarrådet har samlats in.", None)]


def test_a_short_answer_that_reads_like_a_label_is_kept():
    d = docx.Document()
    d.add_paragraph("Region Halland")
    d.add_paragraph(f"5a. {_wording('5a')}")
    d.add_paragraph("Vårt svar.")
    parsed = read_file(_save(d), "halland.docx")
    assert _answers(parsed) == [("Region Halland", "5a", "Vårt svar.", None)]

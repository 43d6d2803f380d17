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
from importers.forms_compat import kommun_form, questions_by_id

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"')
_KOMMUN = {q.id: q for q in kommun_form()}


def _wording(qid: str) -> str:
    return questions_by_id()[qid][0].text


def _save(d) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


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
    buf = io.BytesIO()
    wb.save(buf)
    parsed = read_file(buf.getvalue(), "varmland.xlsx")
    assert {a.respondent for a in parsed.answers} == {"Karlstads kommun"}
    assert any("rad 2: respondenten 'Exempel' är mallens exempelrad" in w for w in parsed.warnings)
    long = _csv([["Respondent", "Fråga", "Svar"], ["Exempelkommun", "5a", "Så här kan ett svar se ut."],
                 ["Arvika kommun", "5a", "Rehabilitering i hemmet."]], ";")
    parsed = read_file(long, "lang.csv")
    assert _answers(parsed) == [("Arvika kommun", "5a", "Rehabilitering i hemmet.", None)]
    assert any("'Exempelkommun' är mallens exempelrad" in w for w in parsed.warnings)

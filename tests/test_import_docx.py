"""Word forms: content controls in every position, checkboxes, placeholders, plain answers."""
from __future__ import annotations

import io
import zipfile

import docx
import pytest

from importers.base import read_file
from importers.errors import ImportFailure
from tools.docx_forms import NSDECL, checkbox_sdt, form_bytes

ANSWERS = {
    "3": "Systemledningen följer upp via länsgemensamma indikatorer.",
    "5a": "Vi har infört mobila team.\n- SIP i alla kommuner\n- Patientkontrakt i två vårdcentraler",
    "6": "Egenmonitorering för personer med KOL.",
    "9a": "Brukarråd finns i flera kommuner.",
    "14": "Övrigt: vi samverkar i länet.",
}
CHOICES = {"1": "Ja, men arbete pågår med att revidera målbilden", "4": "Nej, ingen", "9a": "Inga av länets kommuner"}


def _parsed(data: bytes, name: str = "svar.docx"):
    return {a.question: (a.text, a.choice) for a in read_file(data, name).answers}


def _expected(answers, choices, *, bullets_as_text=False):
    exp = {}
    for q, t in answers.items():
        exp[q] = (t if bullets_as_text else t.replace("- ", ""), choices.get(q))
    for q, c in choices.items():
        exp.setdefault(q, ("", c))
    return exp


@pytest.mark.parametrize("placement", ["block", "cell", "plain", "table"])
def test_every_placement_gives_exactly_the_filled_answers(placement):
    data = form_bytes("RSS Dalarna", ANSWERS, CHOICES, placement=placement)
    assert _parsed(data) == _expected(ANSWERS, CHOICES)


def test_inline_controls_keep_text_lines():
    data = form_bytes("RSS Dalarna", ANSWERS, CHOICES, placement="inline")
    assert _parsed(data) == _expected(ANSWERS, CHOICES, bullets_as_text=True)


@pytest.mark.parametrize("heading", ["{id}. {text}", "{id}.\t{text}", "{n} {l}) {text}", "Fråga {n} {l}) {text}",
                                     "Fråga {id}: {text}", "{ID} {text}", "{text}"])
def test_heading_variants(heading):
    # "{text}": the id comes from Word's automatic numbering, so only the wording is in the text.
    data = form_bytes("Region Skåne", ANSWERS, CHOICES, heading=heading)
    assert _parsed(data) == _expected(ANSWERS, CHOICES)


def test_runs_nested_controls_tracked_changes_hyperlinks_tables():
    data = form_bytes(
        "Region Västerbotten", {"5a": "Text som är uppdelad i många korta körningar."}, {},
        split_runs=True, nested=True,
        tracked={"6": ("nytt arbetssätt", "gammal text")},
        links={"7": ("Vårdguiden 1177", "https://www.1177.se")},
        tables={"8a": [["Insats", "Status"], ["Patientkontrakt", "Breddinfört"]]},
    )
    got = _parsed(data)
    assert got["5a"] == ("Text som är uppdelad i många korta körningar.", None)
    assert "nytt arbetssätt" in got["6"][0] and "gammal text" not in got["6"][0]
    assert "Vårdguiden 1177" in got["7"][0]
    assert got["8a"][0].split() == ["Insats", "Status", "Patientkontrakt", "Breddinfört"]
    assert set(got) == {"5a", "6", "7", "8a"}


def test_unanswered_form_is_refused_and_placeholders_are_never_answers():
    data = form_bytes("Region Kalmar län", {}, {})
    with pytest.raises(ImportFailure) as exc:
        read_file(data, "tom.docx")
    assert "tom.docx" in str(exc.value) and "inga svar" in exc.value.problem


def test_closed_question_box_without_comment_and_comment_without_box():
    data = form_bytes("Region Kalmar län", {"2": "Handlingsplanen tas fram under våren."}, {"1": "Ja"})
    got = _parsed(data)
    assert got["1"] == ("", "Ja")
    assert got["2"] == ("Handlingsplanen tas fram under våren.", None)
    assert set(got) == {"1", "2"}


def test_section_intros_and_wording_are_not_answers_in_plain_documents():
    data = form_bytes("Region Gotland", {"5a": "Vårt svar.", "8a": "Patientkontrakt."}, {}, placement="plain")
    got = _parsed(data)
    assert got == {"5a": ("Vårt svar.", None), "8a": ("Patientkontrakt.", None)}


def test_respondent_from_header_text_then_file_name():
    data = form_bytes("Svarande: Region Jämtland Härjedalen", {"6": "Svar."}, {})
    a = read_file(data, "x.docx").answers[0]
    assert a.respondent == "Region Jämtland Härjedalen" and a.respondent_type == "region"
    data = form_bytes("", {"6": "Svar."}, {})
    assert read_file(data, "Mora_kommun_2022.docx").answers[0].respondent == "Mora kommun"


def test_respondent_in_page_header():
    data = form_bytes("Örebro kommun", {"6": "Svar."}, {}, page_header=True)
    assert read_file(data, "x.docx").answers[0].respondent == "Örebro kommun"


def _docx_with_body(body: str) -> bytes:
    buf = io.BytesIO()
    docx.Document().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                        f"<w:document {NSDECL}><w:body>{body}</w:body></w:document>").encode()
            z.writestr(item, data)
    return out.getvalue()


def _p(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def _sdt(inner: str, placeholder: bool = False) -> str:
    ph = "<w:showingPlcHdr/>" if placeholder else ""
    return f'<w:sdt><w:sdtPr><w:id w:val="1"/>{ph}</w:sdtPr><w:sdtContent>{inner}</w:sdtContent></w:sdt>'


def test_raw_xml_nested_controls_checkboxes_and_placeholder():
    box_on = checkbox_sdt(True).replace(f" {NSDECL}", "")
    box_off = checkbox_sdt(False).replace(f" {NSDECL}", "")
    body = "".join([
        _p("Kommun: Ale"),
        # A group control wrapping questions is transparent.
        _sdt("".join([
            _p("1. Finns det en beslutad länsgemensam målbild för omställningen till Nära vård i regionen och kommunerna?"),
            f"<w:p><w:r><w:t>Ja </w:t></w:r>{box_off}</w:p>",
            # label in one table cell, box in the next
            "<w:tbl><w:tr><w:tc>" + _p("Ja, men arbete pågår med att revidera målbilden") + "</w:tc>"
            f"<w:tc><w:p>{box_on}</w:p></w:tc></w:tr></w:tbl>",
            _p("Lämna gärna en kommentar här:"),
            _sdt(_p("Klicka eller tryck här för att ange text."), placeholder=True),
        ])),
        _p("5a. Beskriv insatser, verksamheter och målgrupper som prioriterats under året"),
        # answer control with a nested inline control and a nested placeholder control
        _sdt("<w:p><w:r><w:t>Vi har </w:t></w:r>"
             + _sdt('<w:r><w:t>mobila team</w:t></w:r>')
             + "<w:r><w:t> i länet.</w:t></w:r></w:p>"
             + "<w:p>" + _sdt('<w:r><w:t>Klicka eller tryck här för att ange text.</w:t></w:r>', True) + "</w:p>"),
        _p("6. Beskriv påbörjade eller genomförda nya initiativ"),
        # table-cell-level control
        "<w:tbl><w:tr>" + _sdt("<w:tc>" + _p("Digitala vårdmöten") + "</w:tc>") + "</w:tr></w:tbl>",
        _p("7. Beskriv särskilt riktade insatser"),
        _sdt(_p("Klicka eller tryck här för att ange text."), placeholder=True),
        _p("Fråga 8 a) Beskriv de insatser"),
        '<w:p><w:r><w:t>Svar: </w:t></w:r>' + _sdt('<w:r><w:t>Patient</w:t></w:r><w:r><w:t>kontrakt</w:t></w:r>'
                                                  '<w:del><w:r><w:delText>RADERAT</w:delText></w:r></w:del>'
                                                  '<w:ins><w:r><w:t> införs</w:t></w:r></w:ins>') + "</w:p>",
    ])
    parsed = read_file(_docx_with_body(body), "ale.docx")
    got = {a.question: (a.text, a.choice) for a in parsed.answers}
    assert got == {
        "1": ("", "Ja, men arbete pågår med att revidera målbilden"),
        "5a": ("Vi har mobila team i länet.", None),
        "6": ("Digitala vårdmöten", None),
        "8a": ("Patientkontrakt införs", None),
    }
    assert {a.respondent for a in parsed.answers} == {"Ale"}
    assert parsed.answers[0].respondent_type == "kommun"


def test_options_in_table_and_text_typed_after_an_unanswered_field():
    long_no = "Nej, men förslag finns framtaget men är inte ännu beslutad av alla berörda parter"
    data = form_bytes("Region Dalarna", {"5a": "Fältets svar."},
                      {"1": long_no, "4": "Ja, men färre än hälften av länets kommuner"}, options_in_table=True,
                      after_field={"6": "Skrivet efter fältet.\nAndra stycket.", "1": "Kommentar utanför fältet."})
    assert _parsed(data) == {
        "1": ("Kommentar utanför fältet.", long_no),
        "4": ("", "Ja, men färre än hälften av länets kommuner"),
        "5a": ("Fältets svar.", None),
        "6": ("Skrivet efter fältet.\nAndra stycket.", None),
    }


def test_retyped_document_with_heading_styles_glyph_boxes_lists_and_tables():
    d = docx.Document()
    d.add_heading("Svar från Region Västmanland", 0)
    d.add_heading("Målbild för omställningen till nära vård", 1)
    d.add_paragraph("Från Överenskommelsen: en introduktion som inte är ett svar.")
    d.add_heading("1. Finns det en beslutad länsgemensam målbild?", 2)
    d.add_paragraph("☒ Ja")
    d.add_paragraph("☐ Nej, och inget förslag finns framtaget")
    d.add_paragraph("Vi har en målbild sedan 2020.")
    d.add_heading("5a. Beskriv insatser", 2)
    d.add_paragraph("Vi prioriterar:")
    d.add_paragraph("Mobila team", style="List Bullet")
    d.add_paragraph("1. Numrerad rad i svaret", style="List Number")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Insats", "Klart"
    d.add_heading("Samverkan mellan regioner och kommuner", 1)
    d.add_paragraph("Från Överenskommelsen: ännu en introduktion.")
    d.add_heading("Fråga 10 a)", 2)
    d.add_paragraph("Samverkan i länet.")
    buf = io.BytesIO()
    d.save(buf)
    parsed = read_file(buf.getvalue(), "v.docx")
    got = {a.question: (a.text, a.choice) for a in parsed.answers}
    assert got == {
        "1": ("Vi har en målbild sedan 2020.", "Ja"),
        "5a": ("Vi prioriterar:\nMobila team\n1. Numrerad rad i svaret\nInsats\nKlart", None),
        "10a": ("Samverkan i länet.", None),
    }
    assert {(a.respondent, a.respondent_type) for a in parsed.answers} == {("Region Västmanland", "region")}


def test_bare_numbers_in_an_answer_table_are_data_not_question_ids():
    from importers.base import read_file
    from tools.docx_forms import form_bytes

    data = form_bytes("Kommunerna i Kalmar län", {"16a": "Antal som påbörjat utbildning:"},
                      tables={"16a": [["Kommun", "Antal"], ["Kalmar", "5"], ["Nybro", "3"]]})
    answers = read_file(data, "kalmar.docx").answers
    assert [a.question for a in answers] == ["16a"]
    assert answers[0].text.split("\n")[-4:] == ["Kalmar", "5", "Nybro", "3"]


def test_an_older_table_form_s_header_rows_are_no_answers():
    """An older form: one table per section, each starting with a 'Nr | Fråga | Svar' row. The header row of the
    next section's table is no answer to the previous section's last question (it was: 'Nr Fråga Svar')."""
    from importers.forms_compat import questions_by_id

    wording = {qid: qs[0].text for qid, qs in questions_by_id().items()}
    d = docx.Document()
    d.add_paragraph("Region Östergötland")
    for area, rows in (("Målbild för omställningen till nära vård",
                        [("3", "Uppföljningen sker varje kvartal."), ("4", "")]),
                       ("Generella insatser utifrån ett personcentrerat förhållningssätt",
                        [("5a", "Personcentrerat arbetssätt i alla verksamheter."), ("5b", "")]),
                       ("Samverkan mellan regioner och kommuner", [("10a", "Gemensamma ronder varje vecka.")])):
        d.add_paragraph(area)
        t = d.add_table(rows=1, cols=3)
        for cell, head in zip(t.rows[0].cells, ("Nr", "Fråga", "Svar")):
            cell.text = head
        for nr, answer in rows:
            cells = t.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = nr, wording[nr], answer
    buf = io.BytesIO()
    d.save(buf)
    assert _parsed(buf.getvalue(), "ostergotland.docx") == {
        "3": ("Uppföljningen sker varje kvartal.", None),
        "5a": ("Personcentrerat arbetssätt i alla verksamheter.", None),
        "10a": ("Gemensamma ronder varje vecka.", None),
    }


def test_a_header_line_of_a_question_table_is_no_answer_text():
    from importers.layout import assemble, text_line

    lines = [text_line(t) for t in ("4. Har regionen en egen handlingsplan för omställningen kopplat till målbilden?",
                                    "Nej, arbete pågår.", "Nr Fråga Svar", "Nr | Fråga | Kommentar")]
    assert [(q, text) for q, text, _ in assemble(lines).answers] == [("4", "Nej, arbete pågår.")]
    # a table of data inside an answer keeps its header ("Kommun Antal")
    lines = [text_line(t) for t in ("16a. Beskriv kortfattat det arbete som genomförts", "Kommun Antal", "Kalmar 5")]
    assert [text for _, text, _ in assemble(lines).answers] == ["Kommun Antal\nKalmar 5"]


def test_a_reviewer_s_comment_in_the_margin_is_reported_not_read_as_an_answer():
    """A form sent with a colleague's comment in the margin: the comment is no answer, and the report says it is
    there (it was dropped without a word)."""
    d = docx.Document()
    d.add_paragraph("Region: Region Uppsala")
    q = d.add_paragraph("13a. Beskriv insatser som genomförts under året kopplat till undvikbar slutenvård")
    d.add_paragraph("Mobila team finns i hela länet.")
    d.add_comment(q.runs, text="Stämmer det för hela länet? Kolla med Tierp.", author="Karin Ek", initials="KE")
    buf = io.BytesIO()
    d.save(buf)
    parsed = read_file(buf.getvalue(), "uppsala.docx")
    assert [(a.question, a.text) for a in parsed.answers] == [("13a", "Mobila team finns i hela länet.")]
    notes = [w for w in parsed.warnings if "kommentar" in w]
    assert len(notes) == 1 and "Karin Ek" in notes[0] and "Kolla med Tierp" in notes[0]


def test_an_answer_typed_on_the_question_s_own_line_is_kept():
    """'8a. <the form's wording> Svar: Patientkontrakt …' in one paragraph: the answer went with the heading,
    without a word."""
    from importers.forms_compat import questions_by_id

    wording = questions_by_id()["8a"][0].text
    d = docx.Document()
    d.add_paragraph("Kommun: Motala kommun")
    d.add_paragraph(f"8a. {wording} Svar: Patientkontrakt testas på en vårdcentral.")
    d.add_paragraph(f"13a. {questions_by_id()['13a'][0].text}")
    d.add_paragraph("Mobila team startade 2023.")
    buf = io.BytesIO()
    d.save(buf)
    assert _parsed(buf.getvalue(), "motala.docx") == {
        "8a": ("Patientkontrakt testas på en vårdcentral.", None),
        "13a": ("Mobila team startade 2023.", None),
    }

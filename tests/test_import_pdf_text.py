"""PDF (generated with fpdf2) and plain text / Markdown answers."""
from __future__ import annotations

import pytest

from importers.base import read_file
from importers.pdf_reader import dehyphenate

fpdf = pytest.importorskip("fpdf")


def _pdf(pages: list[list[str]], header: str) -> bytes:
    class Doc(fpdf.FPDF):
        def header(self):
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, header, new_x="LMARGIN", new_y="NEXT")

        def footer(self):
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, f"Sida {self.page_no()} av {{nb}}", align="C")

    doc = Doc()
    doc.alias_nb_pages()
    for lines in pages:
        doc.add_page()
        doc.set_font("Helvetica", size=11)
        for line in lines:
            doc.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())


def test_pdf_hyphenation_headers_footers_and_questions():
    data = _pdf([
        ["6. Beskriv påbörjade eller genomförda nya initiativ och insatser under 2022 kopplat till",
         "digitalisering inklusive egenmonitorering och välfärdsteknik.",
         "Vi har infört egenmonito-", "rering för patienter med KOL och SIP-",
         "samordnare i alla kommuner. Inom hälso-", "och sjukvården finns digitala vårdmöten."],
        ["7. Beskriv särskilt riktade insatser kopplat till invånare i glesbygd och / eller socioekonomiskt",
         "utsatta områden under 2022.", "Mobila team i glesbygd."],
        ["14. Här finns möjlighet att berätta mer", "Inget att tillägga utöver detta."],
    ], header="Region Uppsala - Slutredovisning")
    parsed = read_file(data, "uppsala.pdf")
    got = {a.question: a.text for a in parsed.answers}
    assert got == {
        "6": "Vi har infört egenmonitorering för patienter med KOL och SIP-samordnare i alla kommuner. "
             "Inom hälso- och sjukvården finns digitala vårdmöten.",
        "7": "Mobila team i glesbygd.",
        "14": "Inget att tillägga utöver detta.",
    }
    assert {a.respondent for a in parsed.answers} == {"Region Uppsala"}


def test_dehyphenate_rules():
    assert dehyphenate(["egenmonito-", "rering"]) == ["egenmonitorering"]
    assert dehyphenate(["SIP-", "samordnare"]) == ["SIP-samordnare"]
    assert dehyphenate(["hälso-", "och sjukvård"]) == ["hälso- och sjukvård"]
    assert dehyphenate(["slut", "text"]) == ["slut", "text"]


MD = """# Svar från Region Gävleborg

5a. Beskriv insatser, verksamheter och målgrupper som prioriterats under året kopplat till det
personcentrerade förhållningssättet, exempelvis mer samordnade stöd med

Vi har infört mobila team.

1. Första punkten i en numrerad lista
2. Andra punkten

## Samverkan mellan regioner och kommuner
Från Överenskommelsen: Regioner och kommuner ska arbeta för att utveckla samverkan.

Fråga 10 a) Beskriv de insatser som genomförts under året
Samverkan via SIP.

1. Finns det en beslutad länsgemensam målbild för omställningen till Nära vård?
- [x] Ja
- [ ] Nej, och inget förslag finns framtaget
Lämna gärna en kommentar här:
Klicka eller tryck här för att ange text.

Fråga 14: Övrigt
Klicka eller tryck här för att ange text.
"""


def test_markdown_headings_lists_checkboxes_and_placeholders():
    parsed = read_file(MD.encode("utf-8"), "gavleborg.md")
    got = {a.question: (a.text, a.choice) for a in parsed.answers}
    assert got == {
        "5a": ("Vi har infört mobila team.\n1. Första punkten i en numrerad lista\n2. Andra punkten", None),
        "10a": ("Samverkan via SIP.", None),
        "1": ("", "Ja"),
    }
    assert {a.respondent for a in parsed.answers} == {"Region Gävleborg"}


def test_plain_text_cp1252_with_glyph_boxes():
    text = ("Kommun: Kiruna\r\n\r\n4. Har kommunerna i länet en kommunspecifik handlingsplan kopplat till målbilden?\r\n"
            "Ja, alla länets kommuner \u2610\r\nNej, ingen \u2612\r\nLämna gärna en kommentar här:\r\nVi börjar 2023.\r\n"
            "5A\r\nÄldreomsorgen har fått stöd.\r\n")
    parsed = read_file(text.encode("utf-8"), "kiruna.txt")
    got = {a.question: (a.text, a.choice) for a in parsed.answers}
    assert got == {"4": ("Vi börjar 2023.", "Nej, ingen"), "5a": ("Äldreomsorgen har fått stöd.", None)}
    latin = "Kommun: Kiruna\n\n6. Beskriv\nVälfärdsteknik i hemtjänsten.\n".encode("cp1252")
    assert read_file(latin, "k.txt").answers[0].text == "Välfärdsteknik i hemtjänsten."


def test_text_rendering_of_the_real_form(shared_dir):
    """The shared form as text, filled in: wrapped option labels, boxes on their own line, section intros."""
    form = (shared_dir / "form" / "slutredovisning-kommuner-2022.txt").read_text(encoding="utf-8")
    parts = form.split("Klicka eller tryck här för att ange text.")
    assert len(parts) == 26  # 25 answer fields: 1, 2, 3, 4, 5a ... 16b
    fill = {0: "Kommentar till fråga 1.", 4: "Svar på 5a om mobila team.", 20: "Svar 14.",
            21: "Svar 15a om kompetens.", 24: "Sista svaret 16b."}
    text = parts[0] + "".join(fill.get(i, "Klicka eller tryck här för att ange text.") + p
                              for i, p in enumerate(parts[1:]))
    text = text.replace("hälften av länets \nkommuner \n\n☐", "hälften av länets \nkommuner \n\n☒", 1)
    text = text.replace("Ja ☐", "Ja ☒", 1)
    parsed = read_file(("Svar från: RSS Dalarna\n" + text).encode("utf-8"), "form.txt")
    got = {a.question: (a.text, a.choice) for a in parsed.answers}
    assert got == {
        "1": ("Kommentar till fråga 1.", "Ja"),
        "4": ("", "Ja, men färre än hälften av länets kommuner"),
        "5a": ("Svar på 5a om mobila team.", None),
        "14": ("Svar 14.", None),
        "15a": ("Svar 15a om kompetens.", None),
        "16b": ("Sista svaret 16b.", None),
    }
    assert {a.respondent for a in parsed.answers} == {"RSS Dalarna"}


def test_numbered_lines_in_a_comment_are_not_new_questions():
    text = ("Region Dalarna\n\n"
            "1. Finns det en beslutad länsgemensam målbild för omställningen till Nära vård i regionen och kommunerna?\n"
            "[x] Ja\nLämna gärna en kommentar här:\nVi har en plan:\n2. Andra punkten i kommentaren\n\n"
            "2. Finns det en beslutad länsgemensam handlingsplan kopplat till målbilden?\n[x] Ja\n")
    got = {a.question: (a.text, a.choice) for a in read_file(text.encode(), "x.txt").answers}
    assert got == {"1": ("Vi har en plan:\n2. Andra punkten i kommentaren", "Ja"), "2": ("", "Ja")}


def test_tab_after_id_in_text_is_a_heading_not_a_table():
    text = "5a.\tBeskriv insatser\nVi har mobila team.\n\n5b.\tOm möjligt\nEffekter.\n"
    got = {a.question: a.text for a in read_file(text.encode(), "Region_Dalarna.txt").answers}
    assert got == {"5a": "Vi har mobila team.", "5b": "Effekter."}


def test_answers_that_mention_the_agreement_or_start_like_a_section_title_are_kept():
    text = ("Region Dalarna\n\n5a. Beskriv insatser\n"
            "Medlen från överenskommelsen har använts till mobila team.\n"
            "Samverkan mellan regioner och kommuner har stärkts.\n\n"
            "## Samverkan mellan regioner och kommuner\n"
            "Från Överenskommelsen: Regioner och kommuner ska arbeta för att utveckla samverkan.\n"
            "Ett andra stycke i introduktionen.\n\n10a. Beskriv\nSvar 10a.\n")
    got = {a.question: a.text for a in read_file(text.encode(), "x.md").answers}
    assert got == {"5a": "Medlen från överenskommelsen har använts till mobila team.\n"
                         "Samverkan mellan regioner och kommuner har stärkts.",
                   "10a": "Svar 10a."}


def test_pdf_of_the_form_with_sections_at_page_tops_and_wrapped_titles_gives_only_the_answers():
    """A filled form saved as PDF (Word or LibreOffice): a section starting a page puts its title and the
    first line of its "Från Överenskommelsen" introduction at the top of several pages, which is not
    page furniture (else the rest of the introduction became an answer), and a long section title
    wraps over two lines (its second line became an answer)."""
    intro = ["Från Överenskommelsen: Regioner och kommuner ska redogöra för hur",
             "arbetet inom området har utvecklats och hur det ska utvecklas under",
             "kommande år, t.ex. genom samverkan, mobila team och digitala vårdmöten."]
    pages = [
        ["Region Halland", "Målbild för omställningen till nära vård", *intro,
         "3. Beskriv hur systemledningen i länet (region och kommuner) följer upp",
         "förflyttningen mot målbilden.", "Styrgruppen följer upp målbilden varje kvartal.",
         "Generella insatser utifrån ett personcentrerat", "förhållningssätt", *intro,
         "5a. Beskriv insatser, verksamheter och målgrupper som prioriterats under",
         "året kopplat till det personcentrerade förhållningssättet.", "Hembesök till äldre.",
         "Insatser för att öka delaktighet och medskapande - t ex.", "patientkontrakt"],
        ["Samverkan mellan regioner och kommuner", *intro,
         "10a. Beskriv de insatser som genomförts under året för att utveckla", "SIP i alla kommuner."],
        ["Undvik slutenvård genom proaktiva arbetssätt", *intro,
         "13a. Beskriv insatser som genomförts under året kopplat till", "Mobila team i hela länet."],
    ]
    doc = fpdf.FPDF()
    for lines in pages:
        doc.add_page()
        doc.set_font("Helvetica", size=11)
        for line in lines:
            doc.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    parsed = read_file(bytes(doc.output()), "Region_Halland.pdf")
    got = {a.question: a.text for a in parsed.answers}
    assert got == {"3": "Styrgruppen följer upp målbilden varje kvartal.", "5a": "Hembesök till äldre.",
                   "10a": "SIP i alla kommuner.", "13a": "Mobila team i hela länet."}, got
    assert not [w for w in parsed.warnings if "arbetet inom området" in w], parsed.warnings


def test_an_option_wrapped_after_its_checkbox_is_the_option_not_a_shorter_one():
    """A PDF of a table form wraps the option text in a narrow column, after the box: 'Ja, men arbete pågår ☒' /
    'med att revidera' / 'målbilden'. It was read as the choice 'Ja' (the shorter option the cut label begins
    with) and 'målbilden' as answer text."""
    from importers.layout import assemble, match_option, text_line

    lines = ["1 Finns det en beslutad länsgemensam målbild för omställningen till Nära vård i regionen och "
             "kommunerna?", "Ja ☐", "Ja, men arbete pågår ☒", "med att revidera", "målbilden",
             "Nej, och inget ☐", "förslag finns framtaget", "Nej, men förslag ☐", "finns framtaget men är",
             "inte ännu beslutad av", "alla berörda parter"]
    got = assemble([text_line(t) for t in lines], join_wrapped=True).answers
    assert got == [("1", "", "Ja, men arbete pågår med att revidera målbilden")]
    assert match_option("1", "Ja, men arbete pågår") == "Ja, men arbete pågår med att revidera målbilden"
    assert match_option("1", "Ja") == "Ja"


def test_a_pdf_of_a_table_form_the_question_cell_going_on_after_the_answer_cell():
    """A table form ('Nr | Fråga | Svar') saved as PDF: the question's narrow cell wraps over many lines, and the
    text layer gives its first lines, then the answer's cell, then the rest of the question. The region form's 5a
    differs from the kommun form's after its first words. Each lost line of wording was answer text before."""
    from importers.layout import assemble, text_line

    lines = ["Nr Fråga Svar",
             "5a Beskriv insatser,", "verksamheter och", "målgrupper som", "regionen prioriterat",
             "under året kopplat till", "det personcentrerade", "förhållningssättet,",
             "Personcentrerat", "arbetssätt har införts", "genom utbildning av", "alla chefer.",
             "exempelvis mer", "samordnade stöd med", "personens/patientens", "fokus. Ange om arbetet",
             "genomförts i form av", "projekt eller är", "breddinfört helt eller", "delvis.",
             "5b Om möjligt, beskriv", "resultat och effekter", "som insatserna lett till",
             "6 Beskriv påbörjade eller", "genomförda nya", "Vi erbjuder digitala", "vårdbesök i hela länet.",
             "initiativ och insatser", "under 2022 kopplat till"]
    prepared = [text_line(t, new_paragraph=i == 0 or lines[i - 1].endswith((".", ":", "!", "?")))
                for i, t in enumerate(lines)]  # as the PDF reader joins wrapped lines
    got = assemble(prepared, join_wrapped=True).answers
    assert [(q, text) for q, text, _ in got] == [
        ("5a", "Personcentrerat arbetssätt har införts genom utbildning av alla chefer."),
        ("6", "Vi erbjuder digitala vårdbesök i hela länet."),
    ]


def test_a_heading_of_wording_no_form_knows_wrapped_mid_sentence_is_not_answer_text():
    """qa25: a respondent's own PDF wrote the question in its own words; the heading wrapped at the page's width
    ('… till exempel' / 'mobila team och hembesök.') and the wrapped tail became the answer's first words, so the
    respondent 'mentioned' mobila team through the question. A line that begins in lowercase right after a long
    heading cut mid-sentence is the heading's; an answer after a complete heading is kept even in lowercase."""
    data = _pdf([[
        "Svar från: Kommunerna i Västmanlands län",
        "Fråga 13a. Beskriv insatser för att undvika slutenvård genom proaktiva arbetssätt, till exempel",
        "mobila team och hembesök.",
        "Hemsjukvården gör planerade hembesök hos sköra äldre i Köping.",
        "Fråga 8a. Beskriv arbetet med samordnad individuell plan (SIP) och patientkontrakt i länet.",
        "samtliga kommuner har SIP-samordnare.",
        "Fråga 16a. Kompetensförsörjning",
        "vidareutbildning av undersköterskor pågår.",
    ]], header="Uppföljning 2023")
    answers = {a.question: a.text for a in read_file(data, "vastmanland.pdf").answers}
    assert answers == {"13a": "Hemsjukvården gör planerade hembesök hos sköra äldre i Köping.",
                       "8a": "samtliga kommuner har SIP-samordnare.",
                       "16a": "vidareutbildning av undersköterskor pågår."}


def test_a_lowercase_answer_after_a_heading_cut_mid_sentence_is_named_in_the_import_report(tmp_path):
    """qa27: the rule above cannot tell a wrapped heading's tail from an answer that truly begins in lowercase
    right after a long heading cut mid-sentence; such a line is not answer text, so the import report says which
    line of which question it left out (in the file's VARNING lines), never silently."""
    from models.importing import import_uploads
    from models.store import ProjectStore

    data = _pdf([[
        "Svar från: Kommunerna i Västmanlands län",
        "Fråga 13a. Beskriv insatser för att undvika slutenvård genom proaktiva arbetssätt, till exempel",
        "hemsjukvården gör planerade hembesök hos sköra äldre.",
        "Fråga 8a. Beskriv arbetet med samordnad individuell plan (SIP) och patientkontrakt i länet.",
        "samtliga kommuner har SIP-samordnare.",
    ]], header="Uppföljning 2023")
    parsed = read_file(data, "vastmanland.pdf")
    assert {a.question: a.text for a in parsed.answers} == {"8a": "samtliga kommuner har SIP-samordnare."}
    report = import_uploads(ProjectStore(tmp_path / "p.sqlite"), [("vastmanland.pdf", data)])[0]
    assert report.ok and report.name == "vastmanland.pdf"
    dropped = [w for w in report.warnings if "hemsjukvården gör planerade hembesök hos sköra äldre." in w]
    assert len(dropped) == 1, report.warnings
    assert dropped[0].startswith("fråga 13a:") and "togs inte med i svaret" in dropped[0]
    # the complete heading of 8a drops nothing: no warning names its lowercase answer
    assert not any("SIP-samordnare" in w for w in report.warnings)

"""Import fidelity: every answer in, nothing invented, every file, sheet and column accounted for.

Every test builds its own files: a workbook with a Metadata sheet and a 'Fråga 14:' column, a
stock-list workbook, a survey-tool CSV headed by question texts, a folder with an unsupported
file, a scanned page rendered by Pillow into an image-only PDF (OCR), and .odt/.doc files made
by LibreOffice.
"""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from importers import ocr, office_reader
from importers.base import read_file
from importers.errors import ImportFailure
from importers.forms_compat import kommun_form
from importers.question_match import match_wording, qid_of
from models.importing import import_paths
from models.reconcile import reconcile, reconcile_respondents
from models.records import Respondent
from models.store import ProjectStore
from tests.helpers.files import SCANNED_FORM, document_bytes, scanned_pdf

ROOT = Path(__file__).resolve().parents[1]
WORDING = {q.id: q.text for q in kommun_form()}


def _xlsx(wb: openpyxl.Workbook) -> bytes:
    return document_bytes(wb)


def _metadata_workbook(legend: str = "table") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Svar"
    ws.append(["Respondent", "Län", "3", "5a", "Fråga 14: Här finns möjlighet att berätta mer …"])
    ws.append(["Lekebergs kommun", "Örebro län", "Styrgruppen följer upp.", "Mobila team.", "Samverkan med skolan."])
    ws.append(["Karlskoga kommun", "Örebro län", "Uppföljning varje år.", "Trygg hemgång.", "Digital SIP."])
    meta = wb.create_sheet("Metadata")
    meta.append(["Exportdatum", "2023-01-15"])
    meta.append(["Svarsfrekvens: 8 av 12 kommuner"])
    meta.append([])
    if legend == "table":
        meta.append(["Fråga", "Frågetext"])
        for qid, text in WORDING.items():
            meta.append([qid, text])
    else:
        for qid, text in WORDING.items():
            meta.append([f"Fråga {qid}: {text}"])
    return _xlsx(wb)


@pytest.mark.parametrize("legend", ["table", "one column"])
def test_metadata_sheet_is_skipped_and_fraga_14_column_is_read(legend):
    parsed = read_file(_metadata_workbook(legend), "svar_export_orebro_lan.xlsx")
    got = sorted((a.respondent, a.question, a.text) for a in parsed.answers)
    assert got == sorted([
        ("Lekebergs kommun", "3", "Styrgruppen följer upp."), ("Lekebergs kommun", "5a", "Mobila team."),
        ("Lekebergs kommun", "14", "Samverkan med skolan."), ("Karlskoga kommun", "3", "Uppföljning varje år."),
        ("Karlskoga kommun", "5a", "Trygg hemgång."), ("Karlskoga kommun", "14", "Digital SIP."),
    ])
    assert any(w.startswith("blad 'Metadata' hoppades över") for w in parsed.warnings), parsed.warnings
    assert any("tolkad som fråga 14" in w and "Fråga 14" in w for w in parsed.warnings), parsed.warnings


def test_stock_list_workbook_is_refused_saying_what_it_holds():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Lager"
    ws.append(["Artikelnummer", "Benämning", "Pris", "Lagersaldo"])
    for row in ([12, "Skruv M5", 3.5, 100], [13, "Mutter M5", 1.2, 250], [14, "Bricka", 0.5, 1000], [21, "Plugg", 2, 4]):
        ws.append(row)
    with pytest.raises(ImportFailure) as exc:
        read_file(_xlsx(wb), "lager.xlsx")
    assert "ingen svarstabell" in exc.value.problem
    assert "Artikelnummer, Benämning, Pris, Lagersaldo" in exc.value.problem


def test_pivot_summary_sheet_is_not_answers():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Svar"
    ws.append(["Respondent", "3"])
    ws.append(["Region Dalarna", "Vi följer upp målbilden i ledningsgruppen."])
    pivot = wb.create_sheet("Sammanställning")
    pivot.append(["Fråga", "Antal svar", "Andel"])
    for qid, n in (("3", 5), ("5a", 7), ("6", 4), ("7", 2)):
        pivot.append([qid, n, f"{n * 10} %"])
    parsed = read_file(_xlsx(wb), "svar.xlsx")
    assert [(a.respondent, a.question) for a in parsed.answers] == [("Region Dalarna", "3")]
    assert any(w.startswith("blad 'Sammanställning' hoppades över") for w in parsed.warnings), parsed.warnings


def test_summary_sheet_of_counts_per_lan_is_not_called_question_numbers():
    """A summary by län (counts 2, 4 look like question ids) is skipped as a summary, not as 'frågenummer'."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Svar"
    ws.append(["Respondent", "Typ", "Län", "5a Personcentrerat – insatser"])
    ws.append(["Region Sörmland", "Region", "Södermanlands län", "Hälsosamtal på alla vårdcentraler."])
    summary = wb.create_sheet("Sammanställning")
    summary.append(["Län", "Antal svar", "Andel"])
    for lan, n in (("Västmanlands län", 2), ("Södermanlands län", 2), ("Totalt", 4)):
        summary.append([lan, n, "50%"])
    parsed = read_file(_xlsx(wb), "svar.xlsx")
    assert [(a.respondent, a.question) for a in parsed.answers] == [("Region Sörmland", "5a")]
    skipped = [w for w in parsed.warnings if w.startswith("blad 'Sammanställning' hoppades över")]
    assert skipped and "frågenummer" not in skipped[0] and "sammanställning" in skipped[0], parsed.warnings


def test_sheet_without_respondent_is_flagged_not_silently_named():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blad1"
    ws.append(["3", "5a"])
    ws.append(["Vi följer upp i styrgruppen.", "Mobila team."])
    parsed = read_file(_xlsx(wb), "export_2023.xlsx")
    assert len(parsed.answers) == 2
    assert any("ingen respondent i innehållet" in w and "filnamnet" in w for w in parsed.warnings), parsed.warnings


def _survey_csv() -> bytes:
    heads = ["Tidsstämpel", "Vilken kommun eller region svarar du för?", WORDING["1"], WORDING["3"],
             WORDING["5a"][:70] + " …", WORDING["14"]]
    rows = [["2023-01-10 10:00", "Kommunerna i Dalarnas län", "Ja", "Styrgruppen följer upp.", "Mobila team.", ""],
            ["2023-01-11 11:00", "Region Gävleborg", "", "Årlig uppföljning.", "Trygg hemgång.", "Inget mer."]]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(heads)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def test_survey_csv_with_question_texts_as_headers_imports():
    parsed = read_file(_survey_csv(), "enkatverktyg_export.csv")
    got = sorted((a.respondent, a.question, a.text, a.choice) for a in parsed.answers)
    assert got == sorted([
        ("Kommunerna i Dalarnas län", "1", "", "Ja"), ("Kommunerna i Dalarnas län", "3", "Styrgruppen följer upp.", None),
        ("Kommunerna i Dalarnas län", "5a", "Mobila team.", None), ("Region Gävleborg", "3", "Årlig uppföljning.", None),
        ("Region Gävleborg", "5a", "Trygg hemgång.", None), ("Region Gävleborg", "14", "Inget mer.", None),
    ])
    assert any(w.startswith("kolumn 'Tidsstämpel' hoppades över") for w in parsed.warnings), parsed.warnings


@pytest.mark.parametrize("header", ["5a", "5 a)", "5A", "Fråga 5a:", "F5a", "Q5a", "5a.", "Fråga 5 a) Beskriv"])
def test_numbering_variants(header):
    assert qid_of(header)[0] == "5a"


def test_question_text_matching_threshold_and_ambiguity():
    assert match_wording(WORDING["3"]).qid == "3"
    assert match_wording("Vilken kommun eller region svarar du för?") is None
    ambiguous = match_wording("Om möjligt, beskriv resultat och effekter …")
    assert ambiguous is not None and ambiguous.ambiguous_with  # several questions start like this


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True, timeout=300)


def test_folder_with_unsupported_file_names_every_file_and_stores_the_report(tmp_path):
    folder = tmp_path / "svar"
    folder.mkdir()
    (folder / "metadata.xlsx").write_bytes(_metadata_workbook())
    (folder / "bild.heic").write_bytes(b"\x00\x00\x00\x18ftypheic")
    (folder / "anteckningar.yaml").write_text("a: 1\n", encoding="utf-8")
    db = tmp_path / "p.sqlite"
    proc = _run_cli("import", str(folder), "--db", str(db))
    assert proc.returncode == 1, proc.stderr
    assert f"OK {folder / 'metadata.xlsx'}: 6 svar" in proc.stdout.splitlines()
    err = proc.stderr.splitlines()
    assert any(ln.startswith(f"FEL {folder / 'bild.heic'}: filtypen .heic stöds inte") for ln in err), err
    assert any(ln.startswith(f"FEL {folder / 'anteckningar.yaml'}:") for ln in err), err
    assert any(ln.startswith(f"VARNING {folder / 'metadata.xlsx'}: blad 'Metadata' hoppades över") for ln in err), err
    assert "Traceback" not in proc.stderr
    store = ProjectStore(db)
    history = store.import_reports()
    assert {(r["name"], r["ok"]) for r in history} == {("metadata.xlsx", True), ("bild.heic", False),
                                                       ("anteckningar.yaml", False)}
    assert any("Metadata" in w for r in history for w in r["warnings"])
    store.close()


def test_scanned_pdf_is_read_by_ocr(tmp_path):
    if not ocr.available():
        print("hoppar över OCR-testet: tesseract med svenska (tesseract-ocr, tesseract-ocr-swe) saknas")
        pytest.skip("tesseract-ocr/tesseract-ocr-swe saknas")
    pdf = tmp_path / "inskannad.pdf"
    scanned_pdf(pdf, SCANNED_FORM)
    store = ProjectStore(tmp_path / "p.sqlite")
    pages: list[tuple[int, int]] = []
    token = ocr.PROGRESS.set(lambda page, total, name: pages.append((page, total)))
    try:
        [report] = import_paths(store, [pdf])
    finally:
        ocr.PROGRESS.reset(token)
    assert report.ok, report.message
    assert pages == [(1, 1)]
    got = {a.question: a.text for a in store.answers()}
    assert got == {"5a": "Vi har infört mobila team i hemsjukvården och startat en vårdcentral på landsbygden.",
                   "6": "Digitala vårdbesök erbjuds nu i hela länet."}
    confidences = store.ocr_confidences()
    assert set(confidences) == {a.id for a in store.answers()}
    assert all(50 <= c <= 100 for c in confidences.values())
    assert any("OCR" in w for w in report.warnings)
    store.close()


def test_scanned_pdf_without_tesseract_is_refused_naming_the_package(tmp_path, monkeypatch):
    pdf = tmp_path / "inskannad.pdf"
    scanned_pdf(pdf, SCANNED_FORM)
    monkeypatch.setattr(ocr, "available", lambda: False)
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    with pytest.raises(ImportFailure) as exc:
        read_file(pdf.read_bytes(), pdf.name)
    assert "tesseract-ocr" in exc.value.problem and "OCR" in exc.value.problem


def _word_form(path: Path) -> None:
    import docx

    doc = docx.Document()
    doc.add_paragraph("Region Dalarna")
    doc.add_paragraph("5a. " + WORDING["5a"])
    doc.add_paragraph("Vi har startat mobila närvårdsteam i tre kommuner.")
    doc.add_paragraph("6. " + WORDING["6"])
    doc.add_paragraph("En ny hälsocentral öppnade i Idre.")
    doc.save(path)


@pytest.mark.parametrize("fmt", ["odt", "doc", "rtf"])
def test_libreoffice_formats_are_converted_and_read(tmp_path, fmt):
    exe = office_reader.soffice()
    if exe is None:
        print(f"hoppar över .{fmt}-testet: LibreOffice (libreoffice-writer-nogui) saknas")
        pytest.skip("LibreOffice saknas")
    src = tmp_path / "Region_Dalarna.docx"
    _word_form(src)
    out = tmp_path / "out"
    subprocess.run([exe, "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--convert-to", fmt,
                    "--outdir", str(out), str(src)], capture_output=True, timeout=180, check=True)
    made = out / f"Region_Dalarna.{fmt}"
    parsed = read_file(made.read_bytes(), made.name)
    assert parsed.format == fmt
    assert [(a.respondent, a.question, a.text) for a in parsed.answers] == [
        ("Region Dalarna", "5a", "Vi har startat mobila närvårdsteam i tre kommuner."),
        ("Region Dalarna", "6", "En ny hälsocentral öppnade i Idre."),
    ]


def test_libreoffice_format_without_libreoffice_is_refused_naming_the_package(monkeypatch):
    monkeypatch.setattr(office_reader, "soffice", lambda: None)
    odt = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(odt, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(ImportFailure) as exc:
        read_file(odt.getvalue(), "svar.odt")
    assert "libreoffice-writer-nogui" in exc.value.problem


def test_reconciliation_lists_missing_respondents_and_gotland_not_relevant():
    from reference import registry

    answering = [registry.resolve("Region Dalarna"), registry.resolve("Mora kommun"),
                 registry.resolve("Kommunerna i Jämtlands län"), Respondent("Okänd ort", None, resolved=False)]
    result = reconcile_respondents(answering, registry.regions(), registry.rss())
    regions, lan = result.groups
    assert (regions.expected, regions.answered) == (21, ["Region Dalarna"])
    assert "Region Gotland" in regions.missing
    assert lan.expected == 20  # Gotland's kommun questions are not relevant
    assert sorted(lan.answered) == ["Kommunerna i Dalarnas län", "Kommunerna i Jämtlands län"]
    assert any("Gotland" in n and "ej relevanta" in n for n in result.not_relevant)
    assert result.unknown == ["Okänd ort"]


def test_reconcile_reads_the_store(tmp_path):
    store = ProjectStore(tmp_path / "p.sqlite")
    import_paths(store, [ROOT / "data" / "sample" / "Region_Dalarna_2022.docx"])
    result = reconcile(store)
    assert result.groups[0].answered == ["Region Dalarna"]
    assert len(result.groups[0].missing) == 20
    store.close()


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract saknas")
def test_ocr_page_reader_reports_confidence():
    from PIL import Image, ImageDraw, ImageFont

    font_file = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not font_file.exists() or not ocr.available():
        pytest.skip("typsnitt eller svensk OCR saknas")
    image = Image.new("L", (1600, 300), 255)
    ImageDraw.Draw(image).text((50, 100), "Trygg hemgång i Härjedalen", font=ImageFont.truetype(str(font_file), 48),
                                fill=0)
    page = ocr.read_image(image)
    assert page.lines == ["Trygg hemgång i Härjedalen"]
    assert page.confidence > 50


def test_ocr_checkbox_list_becomes_the_choice():
    options = ["Ja", "Ja, men arbete pågår med att revidera målbilden", "Nej, och inget förslag finns framtaget"]
    text = "JaO\nJa, men arbete pågår med att revidera målbilden Nej, och inget förslag finns framtaget 0 Bra arbete."
    assert ocr.boxes_to_choice(text, options) == ("Ja, men arbete pågår med att revidera målbilden", "Bra arbete.")
    assert ocr.boxes_to_choice("Ja X\nJa, men arbete pågår med att revidera målbilden O", options)[0] == "Ja"
    assert ocr.boxes_to_choice("Ja O Nej, och inget förslag finns framtaget 0", options) == ("", "")
    assert ocr.boxes_to_choice("Ja Nej, och inget förslag finns framtaget", options) is None  # two unmarked: unsure
    assert ocr.boxes_to_choice("Vi har en målbild sedan 2021.", options) is None


def test_ocr_of_a_scanned_sample_form_recovers_its_answers(tmp_path):
    """The sample PDF rendered to images (a scan without text layer) gives the same answers by OCR."""
    if not ocr.available():
        print("hoppar över OCR-mätningen: tesseract med svenska saknas")
        pytest.skip("tesseract-ocr/tesseract-ocr-swe saknas")
    import difflib

    import pypdfium2 as pdfium

    source = ROOT / "data" / "sample" / "Region_Jamtland_Harjedalen_2022.pdf"
    pdf = pdfium.PdfDocument(source.read_bytes())
    images = [pdf[i].render(scale=200 / 72, grayscale=True).to_pil().convert("L") for i in range(len(pdf))]
    scanned = tmp_path / source.name
    images[0].save(scanned, "PDF", resolution=200, save_all=True, append_images=images[1:])
    truth = {(a.question, a.choice): a.text for a in read_file(source.read_bytes(), source.name).answers}
    got = {(a.question, a.choice): a for a in read_file(scanned.read_bytes(), source.name).answers}
    same = [k for k in truth if k in got and difflib.SequenceMatcher(None, truth[k], got[k].text).ratio() >= 0.9]
    recall, precision = len(same) / len(truth), len(same) / len(got)
    print(f"\nOCR av inskannat exempel: recall {recall:.2f}, precision {precision:.2f} ({len(truth)} svar)")
    assert recall >= 0.9 and precision >= 0.9
    assert all(a.ocr_confidence is not None for a in got.values())


def test_document_without_respondent_is_flagged_as_guessed_from_the_file_name():
    text = f"3. {WORDING['3']}\n\nStyrgruppen följer upp varje kvartal.\n".encode("utf-8")
    parsed = read_file(text, "Region_Dalarna_svar.txt")
    assert [(a.question, a.text) for a in parsed.answers] == [("3", "Styrgruppen följer upp varje kvartal.")]
    assert any("namnger ingen respondent" in w and "filnamnet" in w for w in parsed.warnings), parsed.warnings
    named = read_file(b"Respondent: Region Dalarna\n\n" + text, "svar.txt")
    assert named.answers[0].respondent == "Region Dalarna"
    assert not any("namnger ingen respondent" in w for w in named.warnings)


def test_ocr_checkbox_before_its_label():
    options = ["Ja", "Ja, men arbete pågår med att revidera målbilden", "Nej, och inget förslag finns framtaget"]
    text = "O Ja X Ja, men arbete pågår med att revidera målbilden O Nej, och inget förslag finns framtaget"
    assert ocr.boxes_to_choice(text, options) == ("Ja, men arbete pågår med att revidera målbilden", "")


def test_ocr_checkbox_before_label_with_the_empty_boxes_dropped():
    options = ["Ja", "Ja, men arbete pågår med att revidera målbilden", "Nej, och inget förslag finns framtaget"]
    text = "Ja\n\nX Ja, men arbete pågår med att revidera målbilden\n\nNej, och inget förslag finns framtaget"
    assert ocr.boxes_to_choice(text, options)[0] == "Ja, men arbete pågår med att revidera målbilden"
    text = "Xx] Ja\n3 Ja, men arbete pågår med att revidera målbilden\nNej, och inget förslag finns framtaget"
    assert ocr.boxes_to_choice(text, options)[0] == "Ja"


def test_document_headings_with_f_and_q_prefixes():
    text = (f"Respondent: Region Dalarna\n\nF5a. {WORDING['5a']}\n\nMobila team i hemsjukvården.\n\n"
            f"Q6 {WORDING['6']}\n\nEn ny vårdcentral i Idre. Q3 2022 startade vi piloten.\n").encode("utf-8")
    parsed = read_file(text, "svar.txt")
    assert [(a.question, a.text) for a in parsed.answers] == [
        ("5a", "Mobila team i hemsjukvården."), ("6", "En ny vårdcentral i Idre. Q3 2022 startade vi piloten.")]


def test_ocr_turns_a_sideways_scan_upright():
    if not ocr.available():
        print("hoppar över: tesseract med svenska saknas")
        pytest.skip("tesseract-ocr/tesseract-ocr-swe saknas")
    from PIL import Image, ImageDraw, ImageFont

    font_file = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not font_file.exists():
        pytest.skip("typsnittet DejaVuSans saknas")
    font = ImageFont.truetype(str(font_file), 40)
    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    for i in range(10):
        draw.text((200, 200 + 70 * i), f"Rad {i}: vi har infört mobila team i hemsjukvården.", font=font, fill=0)
    page = ocr.read_image(image.rotate(90, expand=True))
    assert page.lines[0] == "Rad 0: vi har infört mobila team i hemsjukvården."
    assert page.confidence > 80


def test_questions_as_rows_and_respondents_as_columns():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Svar"
    ws.append(["Fråga", "Region Dalarna", "Region Gävleborg"])
    ws.append(["1", "Ja", "Nej, och inget förslag finns framtaget"])
    ws.append([WORDING["3"], "Styrgruppen följer upp.", "Årlig uppföljning."])
    ws.append(["5a", "Mobila team.", ""])
    parsed = read_file(_xlsx(wb), "tvarlista.xlsx")
    assert sorted((a.respondent, a.question, a.text, a.choice) for a in parsed.answers) == sorted([
        ("Region Dalarna", "1", "", "Ja"), ("Region Gävleborg", "1", "", "Nej, och inget förslag finns framtaget"),
        ("Region Dalarna", "3", "Styrgruppen följer upp.", None), ("Region Gävleborg", "3", "Årlig uppföljning.", None),
        ("Region Dalarna", "5a", "Mobila team.", None)])
    assert any("frågorna som rader" in w for w in parsed.warnings)


def test_reconciliation_counts_kommuner_that_answered_on_their_own_and_never_through_the_rss():
    """The third level of the coverage model: a kommun has answered only with its own answer; an RSS answer
    speaks for its län, not for each kommun (the page showed no kommun level at all)."""
    from reference import registry

    answering = [registry.resolve("Kommunerna i Hallands län"), registry.resolve("Varbergs kommun"),
                 registry.resolve("Tierps kommun")]
    result = reconcile_respondents(answering, registry.regions(), registry.rss(), registry.kommuner())
    regions, lan, kommuner = result.groups
    assert sorted(lan.answered) == ["Kommunerna i Hallands län", "Kommunerna i Uppsala län"]
    assert (kommuner.expected, sorted(kommuner.answered)) == (290, ["Tierps kommun", "Varbergs kommun"])
    assert "Laholms kommun" in kommuner.missing and kommuner.many_missing


def test_reconcile_reads_one_round(tmp_path):
    from models.importing import resolver
    from models.records import ParsedFile, RawAnswer

    store = ProjectStore(tmp_path / "r.sqlite")
    for rnd, name in (("2022", "Region Skåne"), ("2023", "Region Halland")):
        store.import_parsed(ParsedFile(f"{rnd}.txt", "txt", f"sha-{rnd}", 1, [RawAnswer(name, "13a", "Mobila team.")]),
                            resolver(), round_label=rnd)
    assert reconcile(store, "2023").groups[0].answered == ["Region Halland"]
    assert sorted(reconcile(store).groups[0].answered) == ["Region Halland", "Region Skåne"]
    store.close()


def test_reconciliation_gotlands_kommun_is_answered_by_region_gotland():
    """When Region Gotland answered, Gotlands kommun is "besvaras av Region Gotland", not "ej svar" (qa23);
    an answer filed as Gotlands kommun is Region Gotland's, as in the coverage model."""
    from reference import registry

    for gotland in ("Region Gotland", "Gotlands kommun"):
        answering = [registry.resolve(gotland), registry.resolve("Mora kommun")]
        result = reconcile_respondents(answering, registry.regions(), registry.rss(), registry.kommuner())
        regions, lan, kommuner = result.groups
        assert "Region Gotland" in regions.answered and len(regions.answered) == 1
        assert lan.expected == 20 and lan.answered == ["Kommunerna i Dalarnas län"]
        assert kommuner.expected == 290 and kommuner.answered == ["Mora kommun"]
        assert "Gotlands kommun" not in kommuner.missing and len(kommuner.missing) == 288
        assert kommuner.by_region == ["Gotlands kommun: besvaras av Region Gotland (både region och kommun; "
                                      "räknas bland regionerna)"]
    # nobody from Gotland answered: Gotlands kommun has not answered
    result = reconcile_respondents([registry.resolve("Mora kommun")], registry.regions(), registry.rss(),
                                   registry.kommuner())
    assert "Gotlands kommun" in result.groups[2].missing and result.groups[2].by_region == []

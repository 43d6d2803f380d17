"""A key written twice in one YAML mapping of a codebook is refused with a Swedish message naming the file and
both lines (plain YAML would keep the second and silently drop the first)."""
import pytest

from export.codebook_io import CodebookExchangeError, from_yaml
from nlp.codebook import CodebookError, DEFAULT_CODEBOOK_PATH, load_codebook

BOOK = """name: test
version: 1
categories:
- id: kat
  label: Kategori
  codes:
  - id: mobila_team
    label: Mobila team
    keywords:
    - mobilt team
    abbreviations:
    - MNT
    abbreviations:
    - ASIH
"""


def test_a_key_twice_in_a_code_is_refused_when_loaded(tmp_path):
    path = tmp_path / "egen.yaml"
    path.write_text(BOOK, encoding="utf-8")
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    msg = str(err.value)
    assert "egen.yaml" in msg and "'abbreviations'" in msg
    assert "rad 11" in msg and "rad 13" in msg


def test_a_key_twice_is_refused_when_imported_in_the_app():
    with pytest.raises(CodebookExchangeError) as err:
        from_yaml(BOOK.encode("utf-8"), file_name="import.yaml")
    assert "import.yaml" in str(err.value) and "två gånger" in str(err.value)


def test_the_same_key_in_different_codes_is_fine(tmp_path):
    text = BOOK.replace("    abbreviations:\n    - ASIH\n", "  - id: sip\n    label: SIP\n    abbreviations:\n    - SIP\n")
    path = tmp_path / "ok.yaml"
    path.write_text(text, encoding="utf-8")
    book = load_codebook(path)
    assert set(book.code_ids) == {"mobila_team", "sip"}


def test_the_default_codebook_has_no_key_twice():
    load_codebook(DEFAULT_CODEBOOK_PATH)  # raises on a duplicate key


def test_invalid_yaml_still_names_the_line(tmp_path):
    path = tmp_path / "trasig.yaml"
    path.write_text("name: [x\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="trasig.yaml är inte giltig YAML på rad"):
        load_codebook(path)

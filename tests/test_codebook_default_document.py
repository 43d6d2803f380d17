"""nlp.codebook.default_document: the bundled codebook's document, parsed once and shared read-only."""
from nlp.codebook import default_codebook, default_document
from nlp.disposer_features import _stems, default_code_terms


def test_default_document_is_the_default_codebooks_document():
    assert default_document() == default_codebook().to_doc()
    assert default_document() is default_document()


def test_default_codebook_is_a_copy_to_change():
    cb = default_codebook()
    cb.codes[0].keywords.append("ett nytt ord")
    assert "ett nytt ord" not in default_codebook().codes[0].keywords
    assert default_document() == default_codebook().to_doc()


def test_code_terms_read_from_the_shared_document():
    want = {c.id: _stems(f"{c.label or ''} {c.definition or ''}") for c in default_codebook().codes}
    assert default_code_terms() == want

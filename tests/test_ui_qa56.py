"""qa56: what the analyst's walk in a browser found, checked with AppTest."""
from __future__ import annotations

from models.records import CodingSuggestion, ParsedFile, RawAnswer
from tests.browser.projects import _resolve, build_project
from tests.helpers.apptest import open_page


def _filter_caption(at) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Filtret väljer utdragen"))


def test_teman_filter_speaks_of_the_round_only_when_it_offers_one(tmp_path):
    # the walk: one round, no "Omgång" in the filter, and the caption said "av filtret följer den bara omgången"
    store = build_project(tmp_path / "p.sqlite")
    store.close()
    at = open_page(tmp_path / "p.sqlite", "teman")
    at.selectbox(key="teman_kat").set_value("proaktivt_undvikbar_slutenvard").run()
    at.selectbox(key="teman_kod").set_value("mobila_team").run()
    assert not any(m.label == "Omgång" for m in at.multiselect)
    assert _filter_caption(at) == ("Filtret väljer utdragen längre ned. Täckningen räknar alla som svarat, "
                                   "oavsett filtret.")
    # a second round: the filter offers it, and the coverage follows it
    store = build_project(tmp_path / "q.sqlite")
    raw = RawAnswer("Region Dalarna", "13a", "Mobila team i hela länet.", position=0, respondent_type="region",
                    lan="Dalarnas län")
    store.import_parsed(ParsedFile("svar2023.txt", "txt", "1" * 64, 50, [raw]), _resolve, round_label="2023")
    found = [a for a in store.answers() if "obila team" in a.text]
    assert {a.source_file for a in found} == {"svar.txt", "svar2023.txt"}, found
    store.replace_suggestions([CodingSuggestion(a.id, "mobila_team", 0, len(a.text), a.text.index("obila team") - 1,
                                                a.text.index("obila team") + 10, confidence=0.9) for a in found])
    store.close()
    at = open_page(tmp_path / "q.sqlite", "teman")
    at.selectbox(key="teman_kat").set_value("proaktivt_undvikbar_slutenvard").run()
    at.selectbox(key="teman_kod").set_value("mobila_team").run()
    assert any(m.label == "Omgång" for m in at.multiselect)
    assert _filter_caption(at).endswith("Täckningen räknar alla som svarat; av filtret följer den bara omgången.")


def test_svar_shows_a_closed_questions_choice_beside_the_text(tmp_path):
    # the walk: question 1's row had an empty text cell and its choice far to the right, out of sight
    build_project(tmp_path / "p.sqlite").close()
    at = open_page(tmp_path / "p.sqlite", "svar")
    editor = next(e for e in at.dataframe if "val" in list(e.proto.column_order))
    order = list(editor.proto.column_order)
    assert order[:4] == ["respondent", "fråga", "val", "text"], order
    row = editor.value[editor.value["fråga"] == "1"].iloc[0]
    assert (row["val"], row["text"]) == ("Ja", "")

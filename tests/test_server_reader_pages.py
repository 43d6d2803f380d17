"""A läsare on a team server sees Kluster and Kodbok read-only, as on Granska (qa20, item 5): the role is said at
the top and every field and button that would change the project is off; an analytiker's are on."""
from __future__ import annotations

import pytest

from tests.test_server_team_app import ANALYST, READER, _app, team  # noqa: F401

EDITING = ("text_input", "text_area", "number_input", "multiselect", "checkbox", "button")
# what a läsare may still use: choose what to look at, test a keyword, download, sign out
VIEWING_KEYS = {"kluster_valt", "kodbok_cat", "kodbok_test_kw", "kodbok_test"}


def _editing_widgets(at) -> list:
    out = []
    for kind in EDITING:
        for w in getattr(at.main, kind):
            key = str(getattr(w, "key", "") or "")
            if key in VIEWING_KEYS or key.startswith(("kluster_valt", "kodbok_code_")):
                continue
            out.append((kind, key or getattr(w, "label", ""), w.disabled))
    for box in at.main.selectbox:
        key = str(box.key or "")
        if not key.startswith(("kluster_valt", "kodbok_cat", "kodbok_code_")):
            out.append(("selectbox", key, box.disabled))
    return out


@pytest.fixture()
def clustered(team):  # noqa: F811
    from models import clusters

    clusters.run_clustering(team, k=2, analyst=ANALYST)
    return team


@pytest.mark.parametrize("page", ["kluster", "kodbok"])
def test_reader_sees_every_editing_field_off(clustered, page):
    at = _app(READER, page)
    assert any("läsare" in i.value for i in at.info), [i.value for i in at.info]
    widgets = _editing_widgets(at)
    assert widgets, "the page shows its editing fields"
    assert [w for w in widgets if not w[2]] == []
    assert not any("Skriv ditt namn" in c.value for c in at.caption)  # there is no name field on a team server


@pytest.mark.parametrize("page", ["kluster", "kodbok"])
def test_analytiker_has_them_on(clustered, page):
    at = _app(ANALYST, page)
    widgets = _editing_widgets(at)
    on = {k for kind, k, disabled in widgets if not disabled and kind != "button"}
    assert on, widgets
    assert not any("läsare" in i.value for i in at.info)


@pytest.mark.parametrize("page", ["svar", "overensstammelse"])
def test_reader_is_told_the_role_not_to_type_a_name(team, page):  # noqa: F811
    """qa25: on a team server a läsare on Svar read 'Respondent och fråga kan ändras direkt i tabellen' and 'Skriv
    ditt namn i sidopanelen för att kunna rätta respondent eller fråga', and on Överensstämmelse 'Skriv ditt namn
    i sidopanelen för att koda ditt urval': there is no name field in team mode, and a läsare may not edit."""
    at = _app(READER, page)
    said = [c.value for c in at.caption] + [i.value for i in at.info]
    assert not any("Skriv ditt namn" in s for s in said), said
    assert not any("kan ändras direkt i tabellen" in s for s in said), said
    assert any("rollen läsare" in s for s in said), said
    if page == "svar":
        analyst = _app(ANALYST, page)
        assert any("kan ändras direkt i tabellen" in c.value for c in analyst.caption)
        assert not any("Skriv ditt namn" in c.value or "rollen läsare" in c.value for c in analyst.caption)

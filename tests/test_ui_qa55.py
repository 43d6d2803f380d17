"""qa55: what the analyst's day in a browser found, checked with AppTest or on the functions the pages call."""
from __future__ import annotations

from models.store import ProjectStore
from tests.test_app_import import _app, _two_sample_files


def test_a_copy_under_another_name_names_the_file_it_copies_and_counts_read_in_swedish(tmp_path):
    # the walk: a PDF dropped in twice under two names; the second was "1 oförändrade (redan importerade)", its
    # message "redan importerad med samma innehåll" and its respondent cell empty, with no word of which file
    project = tmp_path / "import.sqlite"
    ProjectStore(project, name="Import").close()
    at = _app(tmp_path, project, "importera")
    (name, data, kind), other = _two_sample_files()
    at.file_uploader(key="answer_files").set_value([(name, data, kind), ("kopia_" + name, data, kind), other]).run()
    at.button(key="do_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    texts = [m.value for m in at.markdown]
    assert any("2 av 3 filer importerade" in m and "1 oförändrad (redan importerad)" in m for m in texts), texts
    table = next(d.value for d in at.dataframe if "resultat" in d.value.columns)
    row = table[table["fil"] == "kopia_" + name].iloc[0]
    assert row["resultat"] == "oförändrad"
    assert row["meddelande"] == f"samma innehåll som {name}, som redan är importerad; inget ändrades"
    assert row["respondent"] == table[table["fil"] == name].iloc[0]["respondent"] != ""


def test_the_cli_names_the_file_a_copy_repeats(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    (name, data, _), _other = _two_sample_files()
    (tmp_path / name).write_bytes(data)
    (tmp_path / ("kopia_" + name)).write_bytes(data)
    root = Path(__file__).resolve().parents[1]
    db = tmp_path / "p.sqlite"
    subprocess.run([sys.executable, "cli.py", "import", str(tmp_path / name), "--db", str(db), "--no-analyse"],
                   cwd=root, check=True, capture_output=True)
    out = subprocess.run([sys.executable, "cli.py", "import", str(tmp_path / ("kopia_" + name)), "--db", str(db),
                          "--no-analyse"], cwd=root, capture_output=True, text=True)
    assert out.returncode == 0
    assert f"INFO {tmp_path / ('kopia_' + name)}: samma innehåll som {name}, som redan är importerad; inget ändrades" \
        in out.stderr, out.stderr


def test_granska_counts_answers_begun_apart_from_answers_done(tmp_path):
    # the walk: three decisions on three answers, each with suggestions left, and the bar still said "0 av 65 svar
    # granskade" with no word of the work done
    from models.records import CodingSuggestion
    from tests.browser.projects import build_project

    store = build_project(tmp_path / "p.sqlite")
    a = next(x for x in store.answers() if x.question == "5a")
    store.replace_suggestions(
        [CodingSuggestion(a.id, "mobila_team", 0, len(a.text), 0, 5, confidence=0.5),
         CodingSuggestion(a.id, "patientkontrakt", 0, len(a.text), 0, 5, confidence=0.6)])
    assert store.review_counts() == (0, 0, 1)
    first, second = store.codings(answer_ids=[a.id])
    store.decide(first.id, "accepted", "Anna")
    assert store.review_counts() == (0, 1, 1)
    assert store.review_progress() == (0, 1)
    store.decide(second.id, "rejected", "Anna")
    assert store.review_counts() == (1, 0, 1)
    store.close()


def test_kluster_says_which_code_it_made_and_how_many_excerpts_it_coded(tmp_path_factory, tmp_path):
    # the walk: "Skapa kod av klustret" and "Koppla till koden" said only "Koden är skapad i kodboken." /
    # "Klustret är kopplat till koden." — not which code, nor that the excerpts were coded and count as reviewed
    from models import clusters
    from tests.test_app_pages import _clustered
    from ui.project import ensure_sample_project

    sample = ensure_sample_project(tmp_path_factory.mktemp("sample"))
    at, copy, first = _clustered(sample, tmp_path)
    store = ProjectStore(copy)
    size = clusters.cluster(store, first).size
    at.text_input(key=f"kl_name_{first}").set_value("Hembesök efter utskrivning").run()
    at.button(key=f"kl_rename_{first}").click().run()
    at.button(key=f"kl_create_{first}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    said = [t.value for t in at.text]
    assert any(t.startswith("Koden Hembesök efter utskrivning är skapad i kodboken (kategorin Nya koder från "
                            "klustring) med nyckelorden ") and t.endswith(
        f"; klustrets {size} utdrag kodades med den (kodade för hand, de räknas som granskade).") for t in said), said
    store.close()

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

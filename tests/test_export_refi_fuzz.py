"""Hostile .qdpx input: random bytes and mutated project.qde give RefiError or a clean import, never a crash."""
from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from export import refi
from models.store import ProjectStore
from tests.test_export_support import build_project

STATS = {"inputs": 0, "refused": 0, "imported": 0}


@pytest.fixture(scope="module")
def valid_qdpx(tmp_path_factory) -> dict[str, bytes]:
    s = build_project(tmp_path_factory.mktemp("fuzz") / "p.sqlite")
    zf = zipfile.ZipFile(io.BytesIO(refi.to_qdpx(s)))
    s.close()
    return {name: zf.read(name) for name in zf.namelist()}


def _try(tmp_path, payload: bytes) -> None:
    s = ProjectStore(tmp_path / f"t{STATS['inputs']}.sqlite")
    STATS["inputs"] += 1
    try:
        refi.import_qdpx(s, payload, file_name="fuzz.qdpx")
        STATS["imported"] += 1
    except refi.RefiError as exc:
        assert str(exc).startswith("fuzz.qdpx")
        STATS["refused"] += 1
    finally:
        s.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_random_bytes(tmp_path, data):
    _try(tmp_path, data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_mutated_project_xml(tmp_path, valid_qdpx, data):
    valid_qde = valid_qdpx["project.qde"].decode("utf-8")
    i = data.draw(st.integers(0, len(valid_qde) - 1))
    j = data.draw(st.integers(i, min(len(valid_qde), i + 40)))
    junk = data.draw(st.text(alphabet=st.sampled_from(list('<>"/= abc0123-&;{}') + ["\u00e5"]), max_size=20))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("project.qde", valid_qde[:i] + junk + valid_qde[j:])
        for name, body in valid_qdpx.items():
            if name != "project.qde":
                zf.writestr(name, body)
    _try(tmp_path, buf.getvalue())


def test_report_fuzz_figures():
    if not STATS["inputs"]:
        pytest.skip("körs efter fuzz-testerna i samma fil")
    print(f"qdpx-fuzz: {STATS['inputs']} indata, {STATS['refused']} avvisade med svenskt meddelande, "
          f"{STATS['imported']} importerade, 0 oväntade undantag")
    assert STATS["inputs"] >= 100

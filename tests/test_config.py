"""config.SETTINGS declares every setting; a bad environment value stops with a Swedish ConfigError."""
import re
from pathlib import Path

import pytest

import config
from errors import ConfigError, SvarsanalysError

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = [p for p in ROOT.rglob("*.py")
           if p.relative_to(ROOT).parts[0] not in {"tests", "bench", "tools", ".git"} and "__pycache__" not in p.parts]


def test_every_setting_is_a_module_value_with_its_default():
    values = config.load({})
    for s in config.SETTINGS:
        assert s.description and isinstance(s.default, s.type), s.name
        assert values[s.name] == s.default
        if hasattr(config, s.name):
            assert getattr(config, s.name) == config.load()[s.name]


def test_environment_overrides_and_bad_values_fail_loudly():
    assert config.load({"SVARSANALYS_MAX_PDF_PAGES": "12"})["MAX_PDF_PAGES"] == 12
    assert config.load({"SVARSANALYS_PROJECTS_DIR": "/x/y"})["PROJECTS_DIR"] == Path("/x/y")
    with pytest.raises(ConfigError) as bad:
        config.load({"SVARSANALYS_MAX_FILE_BYTES": "femtio"})
    assert isinstance(bad.value, SvarsanalysError)
    assert "SVARSANALYS_MAX_FILE_BYTES" in str(bad.value) and "'femtio'" in str(bad.value)
    assert "inte är ett heltal" in str(bad.value)
    with pytest.raises(ConfigError, match="minsta tillåtna är 1"):
        config.load({"SVARSANALYS_LEARN_EVERY": "0"})
    with pytest.raises(ConfigError, match="SVARSANALYS_PROJECTS_DIR är tom"):
        config.load({"SVARSANALYS_PROJECTS_DIR": " "})
    with pytest.raises(ConfigError, match="SVARSANALYS_PROPOSER har värdet 'kanske'"):
        config.load({"SVARSANALYS_PROPOSER": "kanske"})
    assert config.load({"SVARSANALYS_PROPOSER": "Off"})["PROPOSER"] == "Off"


def test_every_environment_variable_read_by_the_product_is_declared():
    declared = {s.env for s in config.SETTINGS if s.env}
    read = set()
    for path in PRODUCT:
        text = path.read_text(encoding="utf-8")
        read |= set(re.findall(r"environ(?:\.get)?\(?\[?\s*[\"']([A-Z_]+)[\"']", text))
        read |= set(re.findall(r"getenv\(\s*[\"']([A-Z_]+)[\"']", text))
        read |= {f"SVARSANALYS_{n}" for n in re.findall(r"SVARSANALYS_\{?([A-Z_]+)", text) if n}
    assert read, "no environment reads found: the pattern is wrong"
    assert read <= declared, sorted(read - declared)

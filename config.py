"""Every setting, path and environment variable of Svarsanalys, in one declared table.

`SETTINGS` names each setting with its type, default, environment variable (None: not
overridable) and what it is for. Every limit an error message mentions is read from here, so
the message and the check never disagree. An environment variable with a bad value stops the
program with a `ConfigError` naming the variable, the value and what is expected.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Optional

from errors import ConfigError

__all__ = ["SETTINGS", "Setting", "human_size", "load"]

ROOT = Path(__file__).resolve().parent
MB = 1024 * 1024


@dataclass(frozen=True)
class Setting:
    """One setting: its name in this module, type, default, environment variable and description."""

    name: str
    type: type
    default: Any
    env: Optional[str]
    description: str
    minimum: Optional[int] = None
    choices: Optional[tuple[str, ...]] = None  # the values a text setting may take (lower case, '' = unset)

    def parse(self, raw: str) -> Any:
        """The value of `raw` (the environment variable's text); ConfigError when it does not fit."""
        if self.type is int:
            try:
                value = int(raw.strip())
            except ValueError:
                raise ConfigError(f"Miljövariabeln {self.env} har värdet '{raw}', som inte är ett heltal "
                                  f"({self.description.rstrip('.')}; standard {self.default}).") from None
            if self.minimum is not None and value < self.minimum:
                raise ConfigError(f"Miljövariabeln {self.env} har värdet {value}, men det minsta tillåtna är "
                                  f"{self.minimum} ({self.description.rstrip('.')}; standard {self.default}).")
            return value
        if self.type is Path:
            if not raw.strip():
                raise ConfigError(f"Miljövariabeln {self.env} är tom; ange en sökväg "
                                  f"({self.description.rstrip('.')}; standard {self.default}).")
            return Path(raw)
        if self.choices is not None and raw.strip().lower() not in self.choices:
            allowed = ", ".join(f"'{c}'" for c in self.choices if c)
            raise ConfigError(f"Miljövariabeln {self.env} har värdet '{raw}'; ange {allowed} eller lämna den tom "
                              f"({self.description.rstrip('.')}).")
        return raw

    def value(self, environ: Mapping[str, str]) -> Any:
        """The setting's value: the environment variable's when set, else the default."""
        if self.env is not None and self.env in environ:
            return self.parse(environ[self.env])
        return self.default


SETTINGS: tuple[Setting, ...] = (
    Setting("ROOT", Path, ROOT, None, "Programmets mapp."),
    Setting("DATA_DIR", Path, ROOT / "data", None, "Data som följer med programmet."),
    Setting("SAMPLE_DIR", Path, ROOT / "data" / "sample", None, "Exempelsvaren som exempelprojektet byggs av."),
    Setting("DEFAULT_CODEBOOK", Path, ROOT / "data" / "codebook.yaml", None, "Standardkodboken."),
    Setting("REGISTRY_DIR", Path, ROOT / "data" / "registry", None,
            "Registret över regioner, län, kommuner och RSS."),
    Setting("FORMS_DIR", Path, ROOT / "data" / "forms", None, "Enkätformulären, ett per fil och omgång."),
    Setting("PROJECTS_DIR", Path, ROOT / "projects", "SVARSANALYS_PROJECTS_DIR",
            "Mappen där projektfilerna (.sqlite) ligger."),
    Setting("MAX_FILE_BYTES", int, 50 * MB, "SVARSANALYS_MAX_FILE_BYTES",
            "Största fil som tas emot, i byte.", 1),
    Setting("MAX_DECOMPRESSED_BYTES", int, 200 * MB, "SVARSANALYS_MAX_DECOMPRESSED_BYTES",
            "Största uppackade storlek av en zip-baserad fil (docx, xlsx, qdpx), i byte.", 1),
    Setting("MAX_COMPRESSION_RATIO", int, 200, "SVARSANALYS_MAX_COMPRESSION_RATIO",
            "Högsta packningsgrad för en enskild del av en zip-fil (skydd mot zip-bomber).", 1),
    Setting("MAX_ZIP_MEMBERS", int, 10_000, "SVARSANALYS_MAX_ZIP_MEMBERS",
            "Flest delar i en zip-baserad fil.", 1),
    Setting("MAX_CELL_CHARS", int, 100_000, "SVARSANALYS_MAX_CELL_CHARS",
            "Längsta svar eller kalkylbladscell, i tecken.", 1),
    Setting("MAX_SHEET_CELLS", int, 5_000_000, "SVARSANALYS_MAX_SHEET_CELLS",
            "Flest celler (rader gånger kolumner) ett kalkylblad får spänna över.", 1),
    Setting("MAX_FILES_PER_BATCH", int, 2_000, "SVARSANALYS_MAX_FILES_PER_BATCH",
            "Flest filer i en import.", 1),
    Setting("MAX_PDF_PAGES", int, 500, "SVARSANALYS_MAX_PDF_PAGES", "Flest sidor som läses ur en PDF.", 1),
    Setting("SQLITE_BUSY_TIMEOUT_MS", int, 5_000, "SVARSANALYS_SQLITE_BUSY_TIMEOUT_MS",
            "Hur länge en skrivning väntar på ett lås i projektfilen innan den försöker igen, i millisekunder.", 0),
    Setting("SQLITE_WRITE_RETRIES", int, 20, "SVARSANALYS_SQLITE_WRITE_RETRIES",
            "Hur många gånger en skrivning försöker igen när projektfilen är låst.", 0),
    Setting("LEARN_EVERY", int, 20, "SVARSANALYS_LEARN_EVERY",
            "Efter hur många nya beslut projektets modell tränas om (i bakgrunden).", 1),
    Setting("PROPOSER", str, "", "SVARSANALYS_PROPOSER",
            "Förslagsmodellen för koder som reglerna missar: 'on', 'off' eller tomt (det förvalda, "
            "data/models/proposer.json).", choices=("", "on", "off")),
    Setting("COMPILED", str, "", "SVARSANALYS_COMPILED",
            "De kompilerade taggningsmodulerna (tools/build_compiled.py): tomt eller 'on' använder dem när de är "
            "byggda från nuvarande källkod, 'off' kör alltid Python-versionerna (samma resultat).",
            choices=("", "on", "off")),
    Setting("CACHE_DIR", str, "", "SVARSANALYS_CACHE_DIR",
            "Mapp för uppslagstabellen för lemman (nlp/lang_sv/lemma_cache.py läser den vid varje start; "
            "'off' stänger av cachen; standard $XDG_CACHE_HOME/svarsanalys)."),
    Setting("XDG_CACHE_HOME", str, "", "XDG_CACHE_HOME",
            "Användarens cachemapp (standard ~/.cache), där lemmacachen ligger när SVARSANALYS_CACHE_DIR saknas."),
)


def load(environ: Optional[Mapping[str, str]] = None) -> dict[str, Any]:
    """Every setting's value from `environ` (default: the process's environment); ConfigError on a bad one."""
    env = os.environ if environ is None else environ
    return {s.name: s.value(env) for s in SETTINGS}


_VALUES = load()

DATA_DIR: Path = _VALUES["DATA_DIR"]
SAMPLE_DIR: Path = _VALUES["SAMPLE_DIR"]
DEFAULT_CODEBOOK: Path = _VALUES["DEFAULT_CODEBOOK"]
REGISTRY_DIR: Path = _VALUES["REGISTRY_DIR"]
FORMS_DIR: Path = _VALUES["FORMS_DIR"]
PROJECTS_DIR: Path = _VALUES["PROJECTS_DIR"]
MAX_FILE_BYTES: int = _VALUES["MAX_FILE_BYTES"]
MAX_DECOMPRESSED_BYTES: int = _VALUES["MAX_DECOMPRESSED_BYTES"]
MAX_COMPRESSION_RATIO: int = _VALUES["MAX_COMPRESSION_RATIO"]
MAX_ZIP_MEMBERS: int = _VALUES["MAX_ZIP_MEMBERS"]
MAX_CELL_CHARS: int = _VALUES["MAX_CELL_CHARS"]
MAX_SHEET_CELLS: int = _VALUES["MAX_SHEET_CELLS"]
MAX_FILES_PER_BATCH: int = _VALUES["MAX_FILES_PER_BATCH"]
MAX_PDF_PAGES: int = _VALUES["MAX_PDF_PAGES"]
SQLITE_BUSY_TIMEOUT_MS: int = _VALUES["SQLITE_BUSY_TIMEOUT_MS"]
SQLITE_WRITE_RETRIES: int = _VALUES["SQLITE_WRITE_RETRIES"]
LEARN_EVERY: int = _VALUES["LEARN_EVERY"]
PROPOSER: str = _VALUES["PROPOSER"]
# What the app's server takes in at all (.streamlit/config.toml, server.maxUploadSize in MB): above the file limit,
# so a file somewhat too big still reaches the page, which names it and the limit in Swedish; the ceiling bounds
# what one upload holds in memory (a bigger file the browser refuses, with the uploader's note relabelled).
UPLOAD_CEILING_BYTES: int = 200 * MB


def human_size(n: int) -> str:
    """Format a byte count the Swedish way ("50 MB")."""
    if n >= MB:
        return f"{n / MB:.0f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} kB"
    return f"{n} byte"

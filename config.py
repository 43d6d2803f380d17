"""One place for Svarsanalys' settings and limits.

Every limit that an error message mentions is defined here, so the message and the
check can never disagree. Values can be overridden with environment variables
(SVARSANALYS_<NAME>) for tests and deployments.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DATA_DIR = ROOT / "data"
SAMPLE_DIR = DATA_DIR / "sample"
DEFAULT_CODEBOOK = DATA_DIR / "codebook.yaml"
REGISTRY_DIR = DATA_DIR / "registry"
FORMS_DIR = DATA_DIR / "forms"


def _int_env(name: str, default: int) -> int:
    try:
        return int(os.environ.get(f"SVARSANALYS_{name}", default))
    except ValueError:
        return default


# Where project files (.sqlite) live; the analyst may point it elsewhere.
PROJECTS_DIR = Path(os.environ.get("SVARSANALYS_PROJECTS_DIR", ROOT / "projects"))

MB = 1024 * 1024
# Largest accepted upload / file on disk.
MAX_FILE_BYTES = _int_env("MAX_FILE_BYTES", 50 * MB)
# Largest total decompressed size of a zip-based file (docx, xlsx, qdpx).
MAX_DECOMPRESSED_BYTES = _int_env("MAX_DECOMPRESSED_BYTES", 200 * MB)
# Highest allowed compression ratio of a single zip member (zip-bomb guard).
MAX_COMPRESSION_RATIO = _int_env("MAX_COMPRESSION_RATIO", 200)
# Largest number of members in a zip-based file.
MAX_ZIP_MEMBERS = _int_env("MAX_ZIP_MEMBERS", 10_000)
# Longest accepted answer / spreadsheet cell, in characters.
MAX_CELL_CHARS = _int_env("MAX_CELL_CHARS", 100_000)
# Most cells a spreadsheet may span (rows x columns), so a sparse sheet cannot exhaust memory.
MAX_SHEET_CELLS = _int_env("MAX_SHEET_CELLS", 5_000_000)
# Most files in one import batch.
MAX_FILES_PER_BATCH = _int_env("MAX_FILES_PER_BATCH", 2_000)
# Most pages read from one PDF.
MAX_PDF_PAGES = _int_env("MAX_PDF_PAGES", 500)

# SQLite: how long a writer waits for a lock before retrying (ms), and how many retries.
SQLITE_BUSY_TIMEOUT_MS = _int_env("SQLITE_BUSY_TIMEOUT_MS", 5_000)
SQLITE_WRITE_RETRIES = _int_env("SQLITE_WRITE_RETRIES", 20)


def human_size(n: int) -> str:
    """Format a byte count the Swedish way ("50 MB")."""
    if n >= MB:
        return f"{n / MB:.0f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} kB"
    return f"{n} byte"

# Learning from the analyst: the project's disposer retrains (in the background) after this many
# new decisions (accept, reject, recode, manual code).
LEARN_EVERY = _int_env("LEARN_EVERY", 20)

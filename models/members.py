"""Project membership on a team server: the roles, what each may do, and reading a file's members.

Roles (stored in the project file's `members` table):
- ägare: everything an analytiker may do, and manages the members;
- analytiker: reviews suggestions, codes, edits the codebook, imports;
- läsare: browses and exports, changes nothing.

A project without members is visible to nobody on a team server; an ägare is added with
`python cli.py members --db P --add EMAIL --role ägare`. Without sign-in (one analyst on
their own machine) membership is not consulted.
"""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Optional

OWNER, ANALYST, READER = "ägare", "analytiker", "läsare"
ROLES: tuple[str, ...] = (OWNER, ANALYST, READER)
EDIT_ROLES = frozenset({OWNER, ANALYST})
ROLE_DESCRIPTIONS_SV = {
    OWNER: "hanterar medlemmar, granskar och kodar",
    ANALYST: "granskar förslag, kodar, ändrar kodboken och importerar",
    READER: "bläddrar och exporterar, ändrar inget",
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalize_email(email: str) -> str:
    """The stored form of an e-mail address (trimmed, lower case)."""
    return (email or "").strip().lower()


def email_problem(email: str) -> Optional[str]:
    """None when `email` looks like an e-mail address, else a Swedish message."""
    value = normalize_email(email)
    if not value:
        return "E-postadressen saknas."
    if not _EMAIL.match(value) or len(value) > 320:
        return f"{email!r} är ingen giltig e-postadress."
    return None


def role_problem(role: str) -> Optional[str]:
    """None when `role` is one of ROLES, else a Swedish message."""
    if role in ROLES:
        return None
    return f"Okänd roll {role!r}; välj en av: {', '.join(ROLES)}."


def may_view(role: Optional[str]) -> bool:
    """Any member may open, browse and export the project."""
    return role in ROLES


def may_edit(role: Optional[str]) -> bool:
    """ägare and analytiker may review, code, import and change the codebook."""
    return role in EDIT_ROLES


def may_manage(role: Optional[str]) -> bool:
    """Only an ägare adds and removes members."""
    return role == OWNER


def role_in_file(path: str | Path, email: Optional[str]) -> Optional[str]:
    """The role of `email` in the project file at `path`, read without changing the file.

    None when the address is empty, the file is unreadable, has no members table (older or
    member-less project) or does not list the address.
    """
    address = normalize_email(email or "")
    if not address:
        return None
    try:
        con = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return None
    try:
        row = con.execute("SELECT role FROM members WHERE email = ?", (address,)).fetchone()
    except sqlite3.Error:
        return None
    finally:
        con.close()
    return str(row[0]) if row else None

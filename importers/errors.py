"""The one exception importers raise for bad input, with a Swedish message.

`ImportFailure(file_name, problem)` renders as "<file_name>: <problem>"; the CLI
prints it as `FEL <path>: <problem>` and the app shows it in the import report.
"""
from __future__ import annotations

from errors import SvarsanalysError


class ImportFailure(SvarsanalysError):
    """A file could not be imported; `problem` is plain Swedish for the analyst."""

    def __init__(self, file_name: str, problem: str):
        super().__init__(f"{file_name}: {problem}")
        self.file_name = file_name
        self.problem = problem

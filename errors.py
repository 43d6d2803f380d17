"""The one base of every Svarsanalys error.

``str(error)`` is the Swedish message for the analyst (naming the file and the problem
where there is one); the CLI and the pages show it as it is.
"""

from __future__ import annotations

__all__ = ["ConfigError", "SvarsanalysError"]


class SvarsanalysError(Exception):
    """A problem Svarsanalys reports to the analyst; the message is Swedish."""

    @property
    def message(self) -> str:
        """The Swedish message."""
        return str(self)


class ConfigError(SvarsanalysError):
    """An environment variable holds a value its setting (config.SETTINGS) cannot take."""

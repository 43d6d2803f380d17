"""File bytes to `ParsedFile`: `importers.base` picks a reader by the file's real content and reads it.

Import the modules themselves (`from importers.base import read_file`); the package imports nothing,
so `importers.safety` and the other helpers load without every reader's libraries.
"""

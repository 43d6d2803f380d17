"""The domain model and its store: records, the SQLite store (the only SQL), and the project operations
the CLI and the app share (import, tag, learn, cluster, review, views, coverage, rounds, team coding).

Import the modules themselves (`from models.store import ProjectStore`); the package imports nothing.
"""

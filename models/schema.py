"""SQLite schema of a project file and its migrations.

`MIGRATIONS[n]` brings a database from version n to n+1. Version 0 is an empty
file. Add a migration by appending a list of statements; never edit one that has
shipped. The store copies the file before it runs any migration.
"""
from __future__ import annotations

SCHEMA_V1 = [
    """CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE source_files (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        format TEXT NOT NULL,
        sha256 TEXT NOT NULL UNIQUE,
        size INTEGER NOT NULL,
        imported_at TEXT NOT NULL
    )""",
    """CREATE TABLE respondents (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT,
        lan TEXT,
        lan_code TEXT,
        kommun_code TEXT,
        resolved INTEGER NOT NULL DEFAULT 1,
        raw_name TEXT,
        UNIQUE (name, type)
    )""",
    """CREATE TABLE questions (
        id TEXT PRIMARY KEY,
        text TEXT NOT NULL DEFAULT '',
        area TEXT NOT NULL DEFAULT '',
        closed INTEGER NOT NULL DEFAULT 0,
        options TEXT NOT NULL DEFAULT '[]',
        form TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE answers (
        id INTEGER PRIMARY KEY,
        respondent_id INTEGER NOT NULL REFERENCES respondents(id),
        question_id TEXT NOT NULL,
        text TEXT NOT NULL,
        choice TEXT,
        source_file_id INTEGER NOT NULL REFERENCES source_files(id) ON DELETE CASCADE,
        position INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX answers_respondent ON answers(respondent_id)",
    "CREATE INDEX answers_source ON answers(source_file_id)",
    "CREATE INDEX answers_question ON answers(question_id)",
    # Codebook documents, newest row is current; older rows are its history.
    """CREATE TABLE codebooks (
        version INTEGER PRIMARY KEY,
        doc TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        analyst TEXT
    )""",
    # AUTOINCREMENT: a coding id is never reused, so its audit history stays its own.
    """CREATE TABLE codings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        answer_id INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
        code_id TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        evidence_start INTEGER NOT NULL,
        evidence_end INTEGER NOT NULL,
        negated INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'okänd',
        scope TEXT NOT NULL DEFAULT 'okänd',
        confidence REAL NOT NULL DEFAULT 1.0,
        origin TEXT NOT NULL DEFAULT 'rule',
        decision TEXT NOT NULL DEFAULT 'suggested',
        analyst TEXT,
        decided_at TEXT,
        UNIQUE (answer_id, code_id, start, "end")
    )""",
    "CREATE INDEX codings_code ON codings(code_id)",
    "CREATE INDEX codings_decision ON codings(decision)",
    # Memos on a coding, a code or an answer (one current memo per target).
    """CREATE TABLE memos (
        target_type TEXT NOT NULL,
        target_id TEXT NOT NULL,
        text TEXT NOT NULL,
        analyst TEXT,
        at TEXT NOT NULL,
        PRIMARY KEY (target_type, target_id)
    )""",
    # Append-only log of every change: who, when, what, before, after.
    """CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        analyst TEXT,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT,
        before TEXT,
        after TEXT,
        ref INTEGER
    )""",
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    # Analysed text (tokens, lemmas, segments) so re-opening never re-runs NLP.
    """CREATE TABLE analyses (
        answer_id INTEGER PRIMARY KEY REFERENCES answers(id) ON DELETE CASCADE,
        text_sha TEXT NOT NULL,
        pipeline_version TEXT NOT NULL,
        data BLOB NOT NULL
    )""",
    # Clustering runs and the analyst's review of them.
    """CREATE TABLE cluster_runs (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        summary TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE clusters (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES cluster_runs(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        name TEXT,
        code_id TEXT,
        top_terms TEXT NOT NULL DEFAULT '[]',
        merged_into INTEGER REFERENCES clusters(id)
    )""",
    """CREATE TABLE cluster_members (
        id INTEGER PRIMARY KEY,
        cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        answer_id INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        score REAL NOT NULL DEFAULT 0,
        excluded INTEGER NOT NULL DEFAULT 0,
        moved INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX cluster_members_cluster ON cluster_members(cluster_id)",
]

# Rounds: the label of the collection round an answer belongs to ("2022", "2022-del"); '' = none.
ROUND_LABEL = [
    "ALTER TABLE answers ADD COLUMN round_label TEXT NOT NULL DEFAULT ''",
]

# Project membership for the team server: who may see the project and what they may do.
MIGRATION_MEMBERS = [
    """CREATE TABLE IF NOT EXISTS members (
        email TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('ägare', 'analytiker', 'läsare')),
        added_at TEXT NOT NULL,
        added_by TEXT
    )""",
]

# Team coding: each analyst's own codings of a double-coded sample (or of an imported .qdpx
# merged onto existing answers), and which answers are assigned to which analyst.
TEAM_CODING = [
    """CREATE TABLE IF NOT EXISTS coder_codings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        answer_id INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
        coder TEXT NOT NULL,
        code_id TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        origin TEXT NOT NULL DEFAULT 'manual',
        created_at TEXT NOT NULL,
        UNIQUE (answer_id, coder, code_id, start, "end")
    )""",
    "CREATE INDEX IF NOT EXISTS coder_codings_coder ON coder_codings(coder, answer_id)",
    """CREATE TABLE IF NOT EXISTS coder_assignments (
        answer_id INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
        coder TEXT NOT NULL,
        sample TEXT NOT NULL DEFAULT '',
        blind INTEGER NOT NULL DEFAULT 0,
        done INTEGER NOT NULL DEFAULT 0,
        assigned_at TEXT NOT NULL,
        PRIMARY KEY (answer_id, coder)
    )""",
]

# The project's learned models (disposer, ...): one row per training, the latest per kind is used.
PROJECT_MODELS = [
    """CREATE TABLE IF NOT EXISTS project_models (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        blob BLOB NOT NULL,
        n_decisions INTEGER NOT NULL DEFAULT 0,
        trained_at TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS project_models_kind ON project_models(kind, id)",
]

# Import fidelity: the report of every imported file (its OK/FEL line and warnings), and the
# OCR confidence (0-100) of answers read by OCR from scanned pages (NULL: read from a text layer).
IMPORT_REPORTS = [
    """CREATE TABLE IF NOT EXISTS import_reports (
        id INTEGER PRIMARY KEY,
        batch TEXT NOT NULL,
        at TEXT NOT NULL,
        path TEXT NOT NULL,
        name TEXT NOT NULL,
        ok INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT '',
        answers INTEGER NOT NULL DEFAULT 0,
        message TEXT NOT NULL DEFAULT '',
        warnings TEXT NOT NULL DEFAULT '[]'
    )""",
    "CREATE INDEX IF NOT EXISTS import_reports_batch ON import_reports(batch)",
    "ALTER TABLE answers ADD COLUMN ocr_confidence REAL",
]

# The kommuner an RSS answer speaks for, as its file lists them ("Svaret avser: Arboga, Köping och
# Västerås stad"): per source file and respondent. Shown as named in the län's answer, never counted as answered.
SPEAKS_FOR = [
    """CREATE TABLE IF NOT EXISTS respondent_kommuner (
        source_file_id INTEGER NOT NULL REFERENCES source_files(id) ON DELETE CASCADE,
        respondent_id INTEGER NOT NULL REFERENCES respondents(id) ON DELETE CASCADE,
        kommun TEXT NOT NULL,
        position INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (source_file_id, respondent_id, kommun)
    )""",
]

# MIGRATIONS[i] upgrades version i to i+1.
MIGRATIONS: list[list[str]] = [SCHEMA_V1, ROUND_LABEL, MIGRATION_MEMBERS, TEAM_CODING, PROJECT_MODELS,
                                IMPORT_REPORTS, SPEAKS_FOR]

SCHEMA_VERSION = len(MIGRATIONS)

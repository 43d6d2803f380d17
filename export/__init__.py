"""Exports of a project: pure functions from (store, Selection) to bytes.

- `export.formats.export_bytes(store, fmt, selection)`: one entry point (xlsx, csv, docx, qdpx, qdc, yaml)
- `export.xlsx.to_xlsx`, `export.csv_export.to_csv`, `export.docx_report.to_docx`
- `export.refi.to_qdpx` / `import_qdpx` / `to_qdc` / `from_qdc` (REFI-QDA)
- `export.codebook_io`: YAML and .qdc codebook exchange with validation
- `export.safety`: formula neutralisation (OWASP), XML-safe text, PII masking
- `export.selection.Selection`: codes, respondents, questions, decisions, suggestions, masking
"""

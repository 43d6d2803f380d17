"""`python cli.py coverage --db PROJECT.sqlite [--code C] [--round R] [--include-suggestions] [--json]`

Coverage per code at three levels (see models/coverage.py): regions, län with kommun answers,
kommuner that answered on their own, each "N av M som svarat" beside the full total.
Without --json a readable Swedish table; with --json one JSON object on the last line:
{"regions": {"answered", "total"}, "lan": {...}, "kommuner": {...}, "codes": {code: {"regions",
"lan", "kommuner", "regions_names", "lan_names", "kommuner_names", "kommuner_named"}}}.
Counted: accepted and manual codings (with --include-suggestions also undecided suggestions);
rejected and negated codings never. Exit 0, 1 on a bad project or unknown code, 2 on usage errors.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def _fail(message: str) -> int:
    print(f"FEL: {message}", file=sys.stderr)
    return 1


def _cell(text: str, width: int) -> str:
    return text[:width - 1] + "…" if len(text) > width else text.ljust(width)


def readable(pc, project_name: str, detail: bool = False) -> str:
    """The coverage as a Swedish text table (one row per code), with names when `detail`."""
    from models.coverage import LEVELS, LEVEL_TITLE_SV, by_region_sv, counted_sv

    a = pc.answered
    lines = [f"Täckning i {project_name}" + (f", omgång {pc.round_label}" if pc.round_label is not None else ""),
             f"Räknas: {counted_sv(pc.decisions)}.",
             "Har svarat: " + ", ".join(a.figure(lvl) for lvl in LEVELS) + "."]
    if a.not_relevant:
        lines.append("Ej relevant för kommunfrågorna: " + ", ".join(a.not_relevant) + ".")
    if a.kommuner_by_region:
        lines.append(by_region_sv(a.kommuner_by_region) + ".")
    if a.named_kommuner:
        lines.append("Kommuner nämnda i länets svar (räknas inte som egna svar): "
                     + ", ".join(k for k, _ in a.named_kommuner) + ".")
    if a.unplaced:
        lines.append("Respondenter som registret inte kan placera (räknas inte): " + ", ".join(a.unplaced) + ".")
    lines.append("")
    widths = (34, 20, 20, 20, 8)
    header = ("Kod", "Regioner", "Län m. kommunsvar", "Kommuner (egna)", "Nämnda")
    lines.append(" ".join(_cell(h, w) for h, w in zip(header, widths)))
    lines.append(" ".join("-" * (w - 1) for w in widths))
    for c in pc.codes.values():
        cells = [c.code_label] + [f"{c.level(lvl).n} av {c.level(lvl).n_answered} ({c.level(lvl).total})"
                                  for lvl in LEVELS] + [str(len(c.named_kommuner))]
        lines.append(" ".join(_cell(t, w) for t, w in zip(cells, widths)).rstrip())
    lines.append("")
    lines.append("N av M (T): N nämner koden, M har svarat, T totalt.")
    if detail:
        for c in pc.codes.values():
            lines += ["", f"{c.code_label} ({c.code_id})", c.sentence + "."]
            for lvl in LEVELS:
                lc = c.level(lvl)
                lines.append(f"  {LEVEL_TITLE_SV[lvl]}: {lc.figure}" + (f"; {lc.split_text}" if lc.split else ""))
                lines.append("    nämner: " + (", ".join(lc.mentioned) or "–"))
                lines.append("    svarade men nämner inte: " + (", ".join(lc.not_mentioning) or "–"))
                lines.append(f"    har inte svarat: {len(lc.not_answered)}"
                             + (f"; {by_region_sv(lc.by_region)}" if lc.by_region else ""))
            if c.named_kommuner:
                lines.append("  " + c.named_text + " (räknas inte som egna svar)")
    return "\n".join(lines)


def run(args) -> int:
    from commands.export import open_project
    from models.coverage import project_coverage
    from models.store import StoreError
    from models import views

    db = Path(args.db)
    store, problem = open_project(db)
    if problem:
        return _fail(problem)
    try:
        code = getattr(args, "code", None)
        pc = project_coverage(store, include_suggestions=bool(getattr(args, "include_suggestions", False)),
                              round_label=getattr(args, "round", None),
                              code_ids=None if code is None else [code])
        if code is not None and code not in set(views.code_frame(store)["code_id"]) \
                and not pc.codes[code].n_excerpts:
            return _fail(f"koden '{code}' finns inte i projektets kodbok ({db.name}).")
        name = store.name
    except StoreError as exc:
        return _fail(str(exc))
    finally:
        store.close()
    if pc.round_label is not None and not any(pc.answered.level(lvl) for lvl in ("regions", "lan", "kommuner")):
        print(f"OBS: inga svar i omgång '{pc.round_label}' i {db.name}.", file=sys.stderr)
    if getattr(args, "json", False):
        print(json.dumps(pc.to_json(codebook_only=code is None), ensure_ascii=False))
    else:
        print(readable(pc, name, detail=code is not None))
    return 0

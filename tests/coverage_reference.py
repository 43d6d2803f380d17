"""The coverage computation as it was before the vectorised `models.coverage.compute` (commit afb856c):
a straightforward per-row reference that tests compare the fast one with, field by field and in order. Who answered
for what (`models.coverage._respondents`) is shared: the counting is what the fast code changed."""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from models.coverage import (DEFAULT_DECISIONS, LEVELS, OUTSIDE_CODEBOOK, SPLIT_CLASSES, Answered, CodeCoverage,
                             LevelCoverage, Places, ProjectCoverage, _respondents, _split_class, _sv_key)


def reference_compute(answer_rows: Iterable[Sequence[Any]], coding_rows: Iterable[Sequence[Any]], places: Places,
            codes: Sequence[tuple[str, str, str, str]], *, decisions: Sequence[str] = DEFAULT_DECISIONS,
            round_label: Union[str, Sequence[str], None] = None,
            outside_labels: Optional[Mapping[str, str]] = None,
            speaks_for_rows: Iterable[Sequence[Any]] = ()) -> ProjectCoverage:
    """Coverage from rows (pure).

    `answer_rows`: (respondent_id, name, type, lan, lan_code, kommun_code, answer_id, answered,
    rss_text) as `ProjectStore.coverage_answers`; `coding_rows`: (coding_id, answer_id, code_id,
    start, end, status, scope) of the counted codings; `codes`: (code_id, label, category_id,
    category_label) in codebook order. Codes found in codings but not in `codes` come last, named by
    `outside_labels` (their label in an earlier codebook) or their id.
    """
    resp_units, resp_name, resp_lan, answered_resp, answer_resp, rss_texts = _respondents(answer_rows, places)

    answered: dict[str, set[str]] = {lvl: set() for lvl in LEVELS}
    lan_sources: dict[str, set[str]] = {}
    unplaced: set[str] = set()
    not_relevant: set[str] = set()
    for rid in answered_resp:
        if not resp_units[rid]:
            if resp_lan[rid] in places.not_relevant_lans:
                not_relevant.add(places.lans[resp_lan[rid]])
            else:
                unplaced.add(resp_name[rid])
        for level, key in resp_units[rid]:
            answered[level].add(key)
            if level == "lan":
                lan_sources.setdefault(key, set()).add(resp_name[rid])

    def names(level: str, keys: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted((places.name(level, k) for k in keys), key=_sv_key))

    speaks_for: dict[int, list[str]] = {}
    for aid, kommun in speaks_for_rows:
        kcode = places.kommun_code(None, kommun)
        if kcode is not None and aid in answer_resp and kcode not in speaks_for.get(aid, []):
            speaks_for.setdefault(aid, []).append(kcode)
    # kommuner named in RSS answers (population level)
    named_all: dict[str, str] = {}
    # an RSS answer with only a choice has no text, but its file's list still names kommuner
    for aid in [*rss_texts, *(a for a in speaks_for if a not in rss_texts)]:
        rid = answer_resp[aid]
        if rid not in answered_resp:
            continue
        text = rss_texts.get(aid, "")
        for kcode in (places.kommuner_named_in(text, resp_lan[rid]) if text else []) + speaks_for.get(aid, []):
            if kcode not in answered["kommuner"]:
                named_all[kcode] = places.lans.get(places.kommuner[kcode][2], "")

    # mentions per code
    # code -> level -> unit key -> (coding ids, statuses, scopes)
    per_code: dict[str, dict[str, dict[str, tuple[list[int], set[str], set[str]]]]] = {}
    named: dict[str, dict[str, list[int]]] = {}
    other: dict[str, set[str]] = {}
    respondents: dict[str, set[str]] = {}
    n_excerpts: dict[str, int] = {}
    named_memo: dict[tuple[int, int, int], list[str]] = {}  # several codes often share one excerpt
    for cid, aid, code, start, end, status, scope in coding_rows:
        rid = answer_resp.get(aid)
        if rid is None or rid not in answered_resp:
            continue  # outside the round, or an answer without text
        n_excerpts[code] = n_excerpts.get(code, 0) + 1
        respondents.setdefault(code, set()).add(resp_name[rid])
        units = resp_units[rid]
        if not units and resp_lan[rid] not in places.not_relevant_lans:
            other.setdefault(code, set()).add(resp_name[rid])
        slot = per_code.setdefault(code, {lvl: {} for lvl in LEVELS})
        for level, key in units:
            unit = slot[level].get(key)
            if unit is None:
                unit = slot[level][key] = ([], set(), set())
            unit[0].append(cid)
            unit[1].add(status or "")
            unit[2].add(scope or "")
        text = rss_texts.get(aid)
        if text:
            span = (aid, int(start), int(end))
            if span not in named_memo:
                named_memo[span] = places.kommuner_named_in(text[int(start):int(end)], resp_lan[rid])
            for kcode in named_memo[span]:
                named.setdefault(code, {}).setdefault(kcode, []).append(int(cid))
    for cid, aid, code, start, end, status, scope in coding_rows:  # the kommuner an RSS answer's file lists
        rid = answer_resp.get(aid)
        if rid is None or rid not in answered_resp:
            continue
        for kcode in speaks_for.get(aid, []):
            ids = named.setdefault(code, {}).setdefault(kcode, [])
            if int(cid) not in ids:
                ids.append(int(cid))

    outside = outside_labels or {}
    all_codes = list(codes) + [(c, outside.get(c, c), "", OUTSIDE_CODEBOOK)
                               for c in sorted(set(per_code) - {c[0] for c in codes})]
    answered_names = {lvl: names(lvl, answered[lvl]) for lvl in LEVELS}
    # a kommun of a not-relevant län (Gotland) is answered for by its region: not "har inte svarat" then
    by_region_keys = {k: places.regions[lan] for k, (_, _, lan) in places.kommuner.items()
                      if lan in places.not_relevant_lans and lan in answered["regions"]}
    by_region = tuple(sorted(((places.name("kommuner", k), r) for k, r in by_region_keys.items()),
                             key=lambda t: _sv_key(t[0])))
    missing_names = {lvl: names(lvl, set(places.all_keys(lvl)) - answered[lvl]
                                - (set(by_region_keys) if lvl == "kommuner" else set())) for lvl in LEVELS}
    out: dict[str, CodeCoverage] = {}
    for code_id, label, cat_id, cat_label in all_codes:
        slot = per_code.get(code_id, {lvl: {} for lvl in LEVELS})
        levels = {}
        for lvl in LEVELS:
            hits = {k: v for k, v in slot[lvl].items() if k in answered[lvl]}
            counts: dict[str, int] = {}
            for _, statuses, scopes in hits.values():
                cls = _split_class(statuses, scopes)
                counts[cls] = counts.get(cls, 0) + 1
            mentioned = names(lvl, hits)
            mentioned_set = set(mentioned)
            levels[lvl] = LevelCoverage(
                lvl, places.total(lvl), answered_names[lvl], mentioned,
                tuple(n for n in answered_names[lvl] if n not in mentioned_set), missing_names[lvl],
                tuple((k, counts[k]) for k, _, _ in SPLIT_CLASSES if counts.get(k)),
                {places.name(lvl, k): tuple(v[0]) for k, v in hits.items()},
                by_region if lvl == "kommuner" else (),
            )
        # a kommun counted for the code by its own answer is not also listed as "named in the län's answer (not
        # counted)" (qa54: Tierps kommun was both)
        counted_own = set(levels["kommuner"].mentioned)
        code_named = {k: v for k, v in named.get(code_id, {}).items() if places.name("kommuner", k) not in counted_own}
        named_list = sorted(((places.name("kommuner", k), places.lans.get(places.kommuner[k][2], ""))
                             for k in code_named), key=lambda t: _sv_key(t[0]))
        out[code_id] = CodeCoverage(
            code_id, label, cat_id, cat_label, levels["regions"], levels["lan"], levels["kommuner"],
            tuple(named_list), {places.name("kommuner", k): tuple(v) for k, v in code_named.items()},
            n_excerpts.get(code_id, 0), tuple(sorted(respondents.get(code_id, ()), key=_sv_key)),
            tuple(sorted(other.get(code_id, ()), key=_sv_key)),
        )
    a = Answered(
        answered_names["regions"], answered_names["lan"], answered_names["kommuner"],
        {lvl: places.total(lvl) for lvl in LEVELS}, missing_names,
        {places.lans[k]: tuple(sorted(v, key=_sv_key)) for k, v in lan_sources.items()},
        tuple(sorted(((places.name("kommuner", k), lan) for k, lan in named_all.items()),
                     key=lambda t: _sv_key(t[0]))),
        tuple(sorted(unplaced, key=_sv_key)),
        tuple(sorted(not_relevant, key=_sv_key)) or tuple(places.lans[c] for c in places.not_relevant_lans
                                                          if c in places.lans),
        len(answered_resp),
        by_region,
    )
    return ProjectCoverage(a, out, tuple(decisions), round_label)

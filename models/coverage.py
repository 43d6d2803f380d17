"""Coverage the way Socialstyrelsen reports it: who answered, and who of them mentions a code.

Three levels, each counted against those who answered and beside the full total:

* **regioner** (21): a respondent of type region, placed by its län code.
* **län med kommunsvar** (20): a län counts when its RSS (the län's kommuner answering
  together) answered, or any of its kommuner answered on its own. Gotlands län is "ej
  relevant" (Region Gotland is region and kommun at once), so 20 are possible.
* **kommuner som svarat själva** (290): a respondent of type kommun. An RSS answer never
  counts as its län's kommuner; a kommun *named* in an RSS answer is listed by name
  ("nämnd i länets svar") but not counted. Gotland's answers (also one filed as the kommun)
  count as Region Gotland at the region level only; when Region Gotland answered, Gotlands
  kommun is listed as "besvaras av Region Gotland", not as "har inte svarat" (it stays out of
  the kommun figure: 290 in all, Gotland counted among the regions).

"Answered" means at least one answer with text or a choice (in the chosen round).
Counted codings: accepted and manual, plus undecided suggestions when asked; rejected
and negated codings never count. Every mention keeps the ids of the codings behind it,
so a page can drill down from a number to its excerpts.

Pure logic over rows from `ProjectStore.coverage_answers` / `coverage_codings` (or the packed
columns of `coverage_codings_packed`) and the registry; no SQL and no Streamlit here. The codings
are counted column-wise (numpy arrays grouped per code and unit), so a national round costs
Python work per (code, unit), not per coding; `tests/test_coverage_fast.py` holds the result equal,
field by field and in order, to the straightforward per-row count (`tests/coverage_reference.py`).
"""
from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Iterable, Mapping, NamedTuple, Optional, Sequence, Union

from models.codes import categories, categories_from_doc, sv_key
from reference.registry import default_registry

DEFAULT_DECISIONS: tuple[str, ...] = ("accepted", "manual")
WITH_SUGGESTIONS: tuple[str, ...] = ("suggested", "accepted", "manual")
NOT_RELEVANT_LANS: frozenset[str] = frozenset({"09"})  # Gotlands län: kommun questions ej relevanta

LEVELS: tuple[str, ...] = ("regions", "lan", "kommuner")
OUTSIDE_CODEBOOK = "(utanför kodboken)"
LEVEL_NOUN_SV = {"regions": "regioner", "lan": "län", "kommuner": "kommuner"}
LEVEL_WHO_SV = {
    "regions": "regioner som svarat",
    "lan": "län där kommunerna svarat",
    "kommuner": "kommuner som svarat själva",
}
LEVEL_TITLE_SV = {"regions": "Regioner", "lan": "Län med kommunsvar", "kommuner": "Kommuner (egna svar)"}

# Classes of the status/scope split, in reporting order: (key, singular, plural).
SPLIT_CLASSES: tuple[tuple[str, str, str], ...] = (
    ("breddinford", "breddinförd", "breddinförda"),
    ("projekt", "projekt", "projekt"),
    ("planerad", "planerad", "planerade"),
    ("ospecificerad", "utan angiven omfattning", "utan angiven omfattning"),
)

# Kommun short names that are also ordinary words or first names: found only as "<namn> kommun".
_AMBIGUOUS_KOMMUN_NAMES = frozenset({"Ale", "Berg", "Eda", "Kil", "Mark", "Nora", "Salem", "Vara"})


# ------------------------------------------------------------------ places
@dataclass(frozen=True)
class Places:
    """What coverage is counted against: regions, län and kommuner by code."""

    regions: Mapping[str, str]  # län code -> region name ("20" -> "Region Dalarna")
    lans: Mapping[str, str]  # län code -> län name ("20" -> "Dalarnas län")
    kommuner: Mapping[str, tuple[str, str, str]]  # kommun code -> (name, short name, län code)
    not_relevant_lans: frozenset[str] = NOT_RELEVANT_LANS

    @property
    def relevant_lans(self) -> list[str]:
        return [c for c in self.lans if c not in self.not_relevant_lans]

    def total(self, level: str) -> int:
        return {"regions": len(self.regions), "lan": len(self.relevant_lans), "kommuner": len(self.kommuner)}[level]

    def name(self, level: str, key: str) -> str:
        if level == "regions":
            return self.regions.get(key, key)
        if level == "lan":
            return self.lans.get(key, key)
        return self.kommuner[key][0] if key in self.kommuner else key

    def all_keys(self, level: str) -> list[str]:
        return list(self.regions) if level == "regions" else self.relevant_lans if level == "lan" else list(
            self.kommuner)

    @functools.cached_property
    def _lan_by_name(self) -> dict[str, str]:
        return {name.lower(): code for code, name in self.lans.items()}

    def lan_code(self, lan_code: Optional[str], lan_name: Optional[str]) -> Optional[str]:
        """The län code of a respondent: its stored code, else its län name looked up."""
        if lan_code and lan_code in self.lans:
            return lan_code
        if lan_name:
            return self._lan_by_name.get(str(lan_name).strip().lower())
        return None

    @functools.cached_property
    def _kommun_by_name(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for code, (name, short, _) in self.kommuner.items():
            out.setdefault(name.lower(), code)
            out.setdefault(short.lower(), code)
        return out

    def kommun_code(self, kommun_code: Optional[str], name: Optional[str]) -> Optional[str]:
        if kommun_code and kommun_code in self.kommuner:
            return kommun_code
        return self._kommun_by_name.get(str(name or "").strip().lower())

    @functools.cached_property
    def _name_patterns(self) -> dict[str, tuple["re.Pattern[str]", dict[str, str]]]:
        """Per län code: one pattern for the names of its kommuner, and name form -> kommun code."""
        forms_by_lan: dict[str, dict[str, str]] = {}
        for code, (name, short, lan) in self.kommuner.items():
            forms = {name, f"{short} kommun", f"{_genitive(short)} kommun"}
            if short not in _AMBIGUOUS_KOMMUN_NAMES:
                forms |= {short, _genitive(short)}
            for f in forms:
                forms_by_lan.setdefault(lan, {}).setdefault(f, code)
        out = {}
        for lan, forms in forms_by_lan.items():
            alts = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
            out[lan] = (re.compile(rf"(?<![\w])(?:{alts})(?![\w])"), forms)
        return out

    @functools.cached_property
    def _region_lan_pattern(self) -> "re.Pattern[str]":
        """Region and län names, whose words must not be read as a kommun ("Jämtland Härjedalen")."""
        forms: set[str] = set()
        for code, lan in self.lans.items():
            forms.add(lan)
            region = self.regions.get(code, "")
            if region:
                forms.add(region)
                short = re.sub(r"^Region\s+", "", region)
                if " " in short:
                    forms.add(short)
        alts = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True) if f)
        return re.compile(rf"(?<![\w])(?:{alts})(?![\w])") if alts else re.compile(r"(?!x)x")

    def kommuner_named_in(self, text: str, lan_code: Optional[str]) -> list[str]:
        """Codes of the kommuner of `lan_code` named in `text` ("Uppsala kommun", "i Östhammar",
        "Tierps"), in order of first mention. Region and län names ("Region Uppsala", "Uppsala
        län", "Jämtland Härjedalen") are not kommun mentions."""
        if not text or lan_code not in self._name_patterns:
            return []
        pattern, forms = self._name_patterns[lan_code]
        found: dict[str, int] = {}
        blocked: Optional[list[tuple[int, int]]] = None
        for m in pattern.finditer(text):
            code = forms[m.group()]
            if code in found:
                continue
            if blocked is None:
                blocked = [b.span() for b in self._region_lan_pattern.finditer(text)]
            a, b = m.span()
            if any(x < b and a < y for x, y in blocked):
                continue
            before, after = text[max(0, a - 20):a], text[b:b + 8]
            if re.search(r"(?i)\bregion(en)?\s+$", before) or re.match(r"s?\s+läns?\b", after) \
                    or re.search(r"(?i)\bkommunerna\s+i\s+$", before):
                continue
            found[code] = a
        return sorted(found, key=found.get)


def _genitive(name: str) -> str:
    """Swedish genitive of a place name: "Tierp" -> "Tierps", "Mora" -> "Moras", "Borås" -> "Borås"."""
    return name if name[-1].lower() in "sxz" else name + "s"


@functools.lru_cache(maxsize=1)
def default_places() -> Places:
    """The national registry (reference.registry): 21 regions, 21 län (20 relevant), 290 kommuner."""
    reg = default_registry()
    return Places(
        regions={c: lan.region for c, lan in reg.lans.items()},
        lans={c: lan.name for c, lan in reg.lans.items()},
        kommuner={c: (k.name, k.short, k.lan_code) for c, k in reg.kommuner.items()},
    )


def places_from_frames(regions: Any, kommuner: Any, lan_names: Optional[Mapping[str, str]] = None) -> Places:
    """Places from frames (regions: lan_code, name; kommuner: kommun_code, name, lan_code), e.g. a
    small test registry. Län names default to the code."""
    lan_names = dict(lan_names or {})
    region_map = {str(c): str(n) for c, n in zip(regions["lan_code"], regions["name"])}
    codes = list(region_map) + [str(c) for c in kommuner["lan_code"] if str(c) not in region_map]
    return Places(
        regions=region_map,
        lans={c: lan_names.get(c, c) for c in dict.fromkeys(codes)},
        kommuner={str(k): (str(n), str(n), str(l)) for k, n, l in
                  zip(kommuner["kommun_code"], kommuner["name"], kommuner["lan_code"])},
    )


# ------------------------------------------------------------------ results
@dataclass(frozen=True)
class LevelCoverage:
    """One level of one code: who mentions it among those who answered."""

    level: str
    total: int
    answered: tuple[str, ...]
    mentioned: tuple[str, ...]
    not_mentioning: tuple[str, ...]
    not_answered: tuple[str, ...]
    split: tuple[tuple[str, int], ...] = ()  # (class key, units) in SPLIT_CLASSES order, non-zero only
    codings: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # unit name -> coding ids
    by_region: tuple[tuple[str, str], ...] = ()  # (kommun, region answering for it): Gotland, not "har inte svarat"

    @property
    def n(self) -> int:
        return len(self.mentioned)

    @property
    def n_answered(self) -> int:
        return len(self.answered)

    @property
    def figure(self) -> str:
        """"17 av 19 regioner som svarat (21 totalt)"."""
        return figure_sv(self.level, self.n, self.n_answered, self.total)

    @property
    def split_text(self) -> str:
        """"12 breddinförda, 5 projekt, 2 planerade" (empty when nobody mentions the code)."""
        return split_sv(self.split)


@dataclass(frozen=True)
class CodeCoverage:
    """Coverage of one code at the three levels."""

    code_id: str
    code_label: str
    category_id: str
    category_label: str
    regions: LevelCoverage
    lan: LevelCoverage
    kommuner: LevelCoverage
    named_kommuner: tuple[tuple[str, str], ...] = ()  # (kommun, län) named in a counted RSS excerpt
    named_codings: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # kommun -> coding ids
    n_excerpts: int = 0
    respondents: tuple[str, ...] = ()
    other: tuple[str, ...] = ()  # respondents mentioning the code that the registry cannot place

    def level(self, key: str) -> LevelCoverage:
        return {"regions": self.regions, "lan": self.lan, "kommuner": self.kommuner}[key]

    @property
    def mentioned_anywhere(self) -> bool:
        return bool(self.regions.n or self.lan.n or self.kommuner.n or self.named_kommuner or self.other)

    @property
    def sentence(self) -> str:
        """"Mobila team nämns av 17 av 19 regioner som svarat (21 totalt), i 3 av 4 län där kommunerna
        svarat (20 totalt) och av 1 av 2 kommuner som svarat själva (290 totalt)"."""
        return (f"{self.code_label} nämns av {self.regions.figure}, i {self.lan.figure} "
                f"och av {self.kommuner.figure}")

    @property
    def named_text(self) -> str:
        """"Nämnda i länets svar: Tierps kommun (Uppsala län), …" or ''."""
        if not self.named_kommuner:
            return ""
        return "Nämnda i länets svar: " + ", ".join(f"{k} ({lan})" for k, lan in self.named_kommuner)


@dataclass(frozen=True)
class Answered:
    """Who answered (in the chosen round), per level, and what could not be placed."""

    regions: tuple[str, ...]
    lan: tuple[str, ...]
    kommuner: tuple[str, ...]
    totals: Mapping[str, int]
    not_answered: Mapping[str, tuple[str, ...]]
    lan_sources: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # län -> respondents behind it
    named_kommuner: tuple[tuple[str, str], ...] = ()  # named in an RSS answer, not answered themselves
    unplaced: tuple[str, ...] = ()  # respondents the registry cannot place (not counted)
    not_relevant: tuple[str, ...] = ()  # län names ej relevanta at the län level
    n_respondents: int = 0  # respondents with at least one answer, placed or not
    kommuner_by_region: tuple[tuple[str, str], ...] = ()  # (kommun, region): Gotlands kommun when Region Gotland answered

    def level(self, key: str) -> tuple[str, ...]:
        return {"regions": self.regions, "lan": self.lan, "kommuner": self.kommuner}[key]

    def figure(self, key: str) -> str:
        """"19 av 21 regioner har svarat"."""
        noun = {"regions": "regioner", "lan": "län med kommunsvar", "kommuner": "kommuner med egna svar"}[key]
        return f"{len(self.level(key))} av {self.totals[key]} {noun}"


@dataclass(frozen=True)
class ProjectCoverage:
    """Who answered and, per code of the codebook (in codebook order), who mentions it."""

    answered: Answered
    codes: Mapping[str, CodeCoverage]
    decisions: tuple[str, ...]
    round_label: Union[str, Sequence[str], None] = None

    @property
    def include_suggestions(self) -> bool:
        return "suggested" in self.decisions

    def to_json(self, codebook_only: bool = True) -> dict:
        """The `cli.py coverage --json` object (codes outside the codebook only when not `codebook_only`)."""
        a = self.answered
        out: dict[str, Any] = {key: {"answered": len(a.level(key)), "total": a.totals[key]} for key in LEVELS}
        out["codes"] = {
            cid: {
                "regions": c.regions.n, "lan": c.lan.n, "kommuner": c.kommuner.n,
                "regions_names": list(c.regions.mentioned), "lan_names": list(c.lan.mentioned),
                "kommuner_names": list(c.kommuner.mentioned),
                "kommuner_named": [k for k, _ in c.named_kommuner],
            }
            for cid, c in self.codes.items() if not (codebook_only and c.category_label == OUTSIDE_CODEBOOK)
        }
        return out


# ------------------------------------------------------------------ wording
def figure_sv(level: str, n: int, n_answered: int, total: int) -> str:
    """"17 av 19 regioner som svarat (21 totalt)"."""
    return f"{n} av {n_answered} {LEVEL_WHO_SV[level]} ({total} totalt)"


def by_region_sv(pairs: Iterable[tuple[str, str]]) -> str:
    """"Gotlands kommun: besvaras av Region Gotland (både region och kommun; räknas bland regionerna)"."""
    return "; ".join(f"{k}: besvaras av {r} (både region och kommun; räknas bland regionerna)" for k, r in pairs)


def split_sv(split: Iterable[tuple[str, int]]) -> str:
    """"12 breddinförda, 5 projekt, 2 planerade"."""
    names = {k: (one, many) for k, one, many in SPLIT_CLASSES}
    return ", ".join(f"{n} {names[k][0] if n == 1 else names[k][1]}" for k, n in split if n)


def decisions_for(include_suggestions: bool) -> tuple[str, ...]:
    return WITH_SUGGESTIONS if include_suggestions else DEFAULT_DECISIONS


def counted_sv(decisions: Sequence[str]) -> str:
    """What is counted, for captions and the report's method section."""
    if "suggested" in decisions:
        return "godkända och manuella kodningar samt förslag som inte granskats (avvisade och negerade räknas inte)"
    return "bara granskade kodningar: godkända och manuella (förslag, avvisade och negerade räknas inte)"


# ------------------------------------------------------------------ the model
def _split_class(statuses: Iterable[str], scopes: Iterable[str]) -> str:
    """One unit's class from the status/scope of its counted codings."""
    return _split_class_of(frozenset(statuses), frozenset(scopes))


@functools.lru_cache(maxsize=1024)
def _split_class_of(statuses: frozenset, scopes: frozenset) -> str:
    norm_status = [str(s or "").lower() for s in statuses]
    norm_scope = [str(s or "").lower() for s in scopes]
    if norm_status and all(s.startswith("planer") for s in norm_status):
        return "planerad"
    if any(s.startswith("bredd") for s in norm_scope):
        return "breddinford"
    if any(s.startswith(("projekt", "pilot")) for s in norm_scope):
        return "projekt"
    return "ospecificerad"


def _sv_key(value: str) -> str:
    return sv_key(value)


class _Hits(NamedTuple):
    """The units of one level that mention one code: names in the order of their first coding, their coding
    ids (in row order) by name, and the units per status/scope class (`LevelCoverage.split`)."""

    names: list
    codings: dict
    split: tuple


_NO_HITS = _Hits([], {}, ())


def _label_ids(np, values: list, normalise: bool = True) -> tuple[Any, list]:
    """Small integer ids per value, in order of first occurrence, and the labels by id; with `normalise` the
    label of a value is `value or ""` (a status or scope: None and "" are one label)."""
    ids = dict.fromkeys(values)
    labels: dict[Any, int] = {}
    for v in ids:
        ids[v] = labels.setdefault((v or "") if normalise else v, len(labels))
    return np.fromiter(map(ids.__getitem__, values), dtype=np.int64, count=len(values)), list(labels)


def _group_keys(np, ids, starts, n_labels: int) -> list:
    """Per group (rows ids[starts[g]:starts[g+1]]) a hashable key of the set of label ids it holds."""
    if n_labels <= 62:
        bits = np.left_shift(np.int64(1), ids)
        return np.bitwise_or.reduceat(bits, starts).tolist()
    flat, bounds = ids.tolist(), starts.tolist() + [len(ids)]
    return [frozenset(flat[a:b]) for a, b in zip(bounds, bounds[1:])]


def _key_labels(key: Any, labels: list[str]) -> frozenset:
    if isinstance(key, frozenset):
        return frozenset(labels[i] for i in key)
    return frozenset(label for i, label in enumerate(labels) if key >> i & 1)


class CodingColumns(NamedTuple):
    """The counted codings as columns in one row order (`ProjectStore.coverage_codings` rows, or the packed
    form of `ProjectStore.coverage_codings_packed`): numpy arrays, and the labels the integer columns index."""

    ids: Any  # coding ids
    answer_ids: Any  # int64
    codes: Any  # int64, index into code_labels
    code_labels: list
    starts: Any
    ends: Any
    statuses: Any  # int64, index into status_labels
    status_labels: list
    scopes: Any  # int64, index into scope_labels
    scope_labels: list

    def __len__(self) -> int:  # rows
        return len(self.answer_ids)

    def code_set(self) -> set:
        """The codes the rows hold."""
        import numpy as np

        return {self.code_labels[i] for i in np.unique(self.codes).tolist()}


def coding_columns(coding_rows: Iterable[Sequence[Any]]) -> CodingColumns:
    """Columns of (coding_id, answer_id, code_id, start, end, status, scope) rows."""
    import numpy as np

    rows = coding_rows if isinstance(coding_rows, list) else list(coding_rows)
    n = len(rows)
    ids = np.empty(n, dtype=object)  # the ids as given
    ids[:] = list(map(itemgetter(0), rows))
    answer_ids = list(map(itemgetter(1), rows))
    try:
        aid_arr = np.fromiter(answer_ids, dtype=np.int64, count=n)
    except (TypeError, ValueError, OverflowError):  # not integers: placed through a dict all the same
        aid_arr = np.empty(n, dtype=object)
        aid_arr[:] = answer_ids
    codes, code_labels = _label_ids(np, list(map(itemgetter(2), rows)), normalise=False)
    statuses, status_labels = _label_ids(np, list(map(itemgetter(5), rows)))
    scopes, scope_labels = _label_ids(np, list(map(itemgetter(6), rows)))
    return CodingColumns(ids, aid_arr, codes, code_labels, list(map(itemgetter(3), rows)),
                         list(map(itemgetter(4), rows)), statuses, status_labels, scopes, scope_labels)


def packed_columns(packed: tuple[list, list, list, tuple]) -> Optional[CodingColumns]:
    """Columns of `ProjectStore.coverage_codings_packed`; None when a value was written after its labels were
    read (read the rows again then)."""
    import numpy as np

    code_labels, statuses, scopes, texts = packed
    cid, aid, code, start, end, status, scope = (np.fromstring(t, dtype=np.int64, sep=",") if t else
                                                 np.zeros(0, dtype=np.int64) for t in texts)
    if len({len(cid), len(aid), len(code), len(start), len(end), len(status), len(scope)}) != 1 or (
            len(cid) and min(code.min(), status.min(), scope.min()) < 0):
        return None
    return CodingColumns(cid, aid, code, list(code_labels), start, end, status, [s or "" for s in statuses],
                         scope, [s or "" for s in scopes])


_SPLIT_INDEX = {k: i for i, (k, _, _) in enumerate(SPLIT_CLASSES)}


def _tally(cols: CodingColumns, places: Places, resp_ids: list, resp_names: list[str],
           resp_units: list[list[tuple[str, str]]], resp_lans: list[Optional[str]], answer_resp: Mapping[int, int],
           rss_texts: Mapping[int, str], speaks_for: Optional[Mapping[int, Sequence[str]]] = None):
    """Mentions per code from the counted codings, column-wise: each coding is placed by integer arrays
    (answer -> respondent -> its unit at each level) and grouped per (code, unit) by one stable sort per level,
    so Python runs per group (at most codes × units), not per coding.

    Returns (per_code: code -> level -> `_Hits`; named: code -> kommun code -> coding ids of the RSS excerpts
    naming it, or of any excerpt of an RSS answer whose file lists that kommun among those it speaks for
    (`speaks_for`: answer id -> kommun codes); other: code -> names of unplaced respondents; respondents: code -> names; n_excerpts: code ->
    codings). Codings of answers outside `answer_resp` or of respondents without an answer (not in
    `resp_ids`) are not counted.
    """
    import numpy as np

    per_code: dict[str, dict[str, _Hits]] = {}
    named: dict[str, dict[str, list[int]]] = {}
    other: dict[str, set[str]] = {}
    respondents: dict[str, set[str]] = {}
    n_excerpts: dict[str, int] = {}
    if not len(cols) or not resp_ids:
        return per_code, named, other, respondents, n_excerpts
    # answer id -> dense respondent index (answers of respondents who answered only), -1 for the others
    r_index = {rid: i for i, rid in enumerate(resp_ids)}
    pairs = [(aid, r_index[rid]) for aid, rid in answer_resp.items() if rid in r_index]
    if cols.answer_ids.dtype == np.int64 and pairs and all(type(a) is int for a, _ in pairs):
        a_keys = np.fromiter((a for a, _ in pairs), dtype=np.int64, count=len(pairs))
        a_vals = np.fromiter((i for _, i in pairs), dtype=np.int64, count=len(pairs))
        order = np.argsort(a_keys, kind="stable")
        a_keys, a_vals = a_keys[order], a_vals[order]
        pos = np.minimum(np.searchsorted(a_keys, cols.answer_ids), len(a_keys) - 1)
        r = np.where(a_keys[pos] == cols.answer_ids, a_vals[pos], -1)
    else:
        lookup = dict(pairs)
        r = np.fromiter(map(lookup.get, cols.answer_ids.tolist(), itertools.repeat(-1)), dtype=np.int64,
                        count=len(cols))
    keep = np.flatnonzero(r >= 0)
    if not len(keep):
        return per_code, named, other, respondents, n_excerpts
    r = r[keep]
    # the codes the kept rows hold, renumbered 0..n_codes-1 (in code label order)
    present, code_i = np.unique(cols.codes[keep], return_inverse=True)
    code_i = code_i.reshape(-1).astype(np.int64)
    code_names = [cols.code_labels[k] for k in present.tolist()]
    n_rows, n_resp, n_codes = len(keep), len(resp_ids), len(code_names)
    cid_arr = cols.ids[keep]
    status_arr, status_labels = cols.statuses[keep], cols.status_labels
    scope_arr, scope_labels = cols.scopes[keep], cols.scope_labels

    for j, n in enumerate(np.bincount(code_i, minlength=n_codes).tolist()):
        n_excerpts[code_names[j]] = n
    # respondents (and unplaced ones) per code: the distinct (code, respondent) pairs
    name_arr = np.empty(n_resp, dtype=object)
    name_arr[:] = resp_names
    unplaced = np.array([not units and lan not in places.not_relevant_lans
                         for units, lan in zip(resp_units, resp_lans)], dtype=bool)
    pair = np.unique(code_i * n_resp + r)
    pair_code, pair_resp = pair // n_resp, pair % n_resp
    bounds = np.searchsorted(pair_code, np.arange(n_codes + 1)).tolist()
    for j, code in enumerate(code_names):
        who = pair_resp[bounds[j]:bounds[j + 1]]
        respondents[code] = set(name_arr[who].tolist())
        lost = who[unplaced[who]]
        if len(lost):
            other[code] = set(name_arr[lost].tolist())
        per_code[code] = {}

    # per level: the codings of each (code, unit) in row order, and the class of their statuses/scopes
    split_memo: dict[tuple, int] = {}
    for lvl in LEVELS:
        unit_keys: dict[str, int] = {}
        unit_of = np.full(n_resp, -1, dtype=np.int64)
        for i, units in enumerate(resp_units):
            for level, key in units:
                if level == lvl:
                    unit_of[i] = unit_keys.setdefault(key, len(unit_keys))
        u = unit_of[r]
        rows_at = np.flatnonzero(u >= 0)
        if not len(rows_at):
            for code in code_names:
                per_code[code][lvl] = _NO_HITS
            continue
        unit_names = [places.name(lvl, k) for k in unit_keys]
        n_units = len(unit_names)
        g = code_i[rows_at] * n_units + u[rows_at]
        o = np.argsort(g, kind="stable")  # stable: a group keeps the row order of its codings
        rows_sorted, g_sorted = rows_at[o], g[o]
        starts = np.flatnonzero(np.concatenate(([True], g_sorted[1:] != g_sorted[:-1])))
        s_keys = _group_keys(np, status_arr[rows_sorted], starts, len(status_labels))
        c_keys = _group_keys(np, scope_arr[rows_sorted], starts, len(scope_labels))
        cls = []
        for sk, ck in zip(s_keys, c_keys):
            c = split_memo.get((sk, ck))
            if c is None:
                c = split_memo[(sk, ck)] = _SPLIT_INDEX[_split_class_of(_key_labels(sk, status_labels),
                                                                        _key_labels(ck, scope_labels))]
            cls.append(c)
        g_code, g_unit = g_sorted[starts] // n_units, g_sorted[starts] % n_units
        split = np.bincount(g_code * len(SPLIT_CLASSES) + np.asarray(cls, dtype=np.int64),
                            minlength=n_codes * len(SPLIT_CLASSES)).reshape(n_codes, len(SPLIT_CLASSES)).tolist()
        # each code's units in the order of their first coding
        g_order = np.lexsort((rows_sorted[starts], g_code))
        code_bounds = np.searchsorted(g_code[g_order], np.arange(n_codes + 1)).tolist()
        g_order = g_order.tolist()
        ends = starts.tolist()[1:] + [len(rows_sorted)]
        starts_l, g_unit_l = starts.tolist(), g_unit.tolist()
        cid_sorted = cid_arr[rows_sorted].tolist()
        for j, code in enumerate(code_names):
            ks = g_order[code_bounds[j]:code_bounds[j + 1]]
            if not ks:
                per_code[code][lvl] = _NO_HITS
                continue
            names = [unit_names[g_unit_l[k]] for k in ks]
            per_code[code][lvl] = _Hits(
                names, dict(zip(names, [tuple(cid_sorted[starts_l[k]:ends[k]]) for k in ks])),
                tuple((SPLIT_CLASSES[c][0], n) for c, n in enumerate(split[j]) if n))

    # kommuner named in the counted RSS excerpts, in row order
    if rss_texts:
        r_list, keep_l = r.tolist(), keep.tolist()
        aids = cols.answer_ids[keep].tolist()
        named_memo: dict[tuple[int, int, int], list[str]] = {}  # several codes often share one excerpt
        for p in [p for p, aid in enumerate(aids) if aid in rss_texts]:
            i, aid, code = keep_l[p], aids[p], code_names[code_i[p]]
            span = (aid, int(cols.starts[i]), int(cols.ends[i]))
            if span not in named_memo:
                named_memo[span] = places.kommuner_named_in(rss_texts[aid][span[1]:span[2]], resp_lans[r_list[p]])
            for kcode in named_memo[span]:
                named.setdefault(code, {}).setdefault(kcode, []).append(int(cols.ids[i]))
    # kommuner an RSS answer speaks for (its file's list): named in every excerpt of that answer
    if speaks_for:
        aids = cols.answer_ids[keep].tolist()
        keep_l = keep.tolist()
        for p in [p for p, aid in enumerate(aids) if aid in speaks_for]:
            i, code = keep_l[p], code_names[code_i[p]]
            for kcode in speaks_for[aids[p]]:
                ids = named.setdefault(code, {}).setdefault(kcode, [])
                if int(cols.ids[i]) not in ids:
                    ids.append(int(cols.ids[i]))
    return per_code, named, other, respondents, n_excerpts


def _respondents(answer_rows: Iterable[Sequence[Any]], places: Places):
    """Who answered for what, from `ProjectStore.coverage_answers` rows: the (level, key) units of each respondent,
    its name and län code, the respondents with an answer, each answer's respondent and the texts of RSS answers."""
    resp_units: dict[int, list[tuple[str, str]]] = {}
    resp_name: dict[int, str] = {}
    resp_lan: dict[int, Optional[str]] = {}
    answered_resp: set[int] = set()
    answer_resp: dict[int, int] = {}
    rss_texts: dict[int, str] = {}
    for rid, name, rtype, lan, lan_code, kommun_code, aid, has_answer, rss_text in answer_rows:
        answer_resp[aid] = rid
        if has_answer:
            answered_resp.add(rid)
        if rtype == "rss" and rss_text:
            rss_texts[aid] = rss_text
        if rid in resp_units:
            continue
        resp_name[rid] = name
        lcode = places.lan_code(lan_code, lan)
        units: list[tuple[str, str]] = []
        if rtype == "region" and lcode in places.regions:
            units.append(("regions", lcode))
        elif rtype == "kommun":
            kcode = places.kommun_code(kommun_code, name)
            if kcode is not None:
                lcode = places.kommuner[kcode][2]
                if lcode in places.not_relevant_lans:  # Gotland: the region is the kommun; kommun questions ej relevanta
                    if lcode in places.regions:
                        units.append(("regions", lcode))
                else:
                    units += [("kommuner", kcode), ("lan", lcode)]
        elif rtype == "rss" and lcode in places.lans and lcode not in places.not_relevant_lans:
            units.append(("lan", lcode))
        resp_units[rid] = units
        resp_lan[rid] = lcode
    return resp_units, resp_name, resp_lan, answered_resp, answer_resp, rss_texts


def compute(answer_rows: Iterable[Sequence[Any]], coding_rows: Iterable[Sequence[Any]], places: Places,
            codes: Sequence[tuple[str, str, str, str]], *, decisions: Sequence[str] = DEFAULT_DECISIONS,
            round_label: Union[str, Sequence[str], None] = None,
            outside_labels: Optional[Mapping[str, str]] = None,
            speaks_for_rows: Iterable[Sequence[Any]] = ()) -> ProjectCoverage:
    """Coverage from rows (pure).

    `answer_rows`: (respondent_id, name, type, lan, lan_code, kommun_code, answer_id, answered,
    rss_text) as `ProjectStore.coverage_answers`; `coding_rows`: (coding_id, answer_id, code_id,
    start, end, status, scope) of the counted codings (or their `CodingColumns`); `codes`: (code_id, label, category_id,
    category_label) in codebook order. Codes found in codings but not in `codes` come last, named by
    `outside_labels` (their label in an earlier codebook) or their id. `speaks_for_rows`: (answer_id, kommun)
    as `ProjectStore.coverage_speaks_for`, the kommuner an RSS answer's file says it speaks for: listed as
    named in the län's answer (per code for the codes of that answer), never counted as kommuner that answered.
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

    # the kommuner an RSS answer's file says it speaks for (answer id -> kommun codes, in the file's order)
    speaks_for: dict[int, list[str]] = {}
    for aid, kommun in speaks_for_rows:
        kcode = places.kommun_code(None, kommun)
        if kcode is None or aid not in answer_resp:
            continue
        have = speaks_for.setdefault(aid, [])
        if kcode not in have:
            have.append(kcode)
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

    # mentions per code, counted column-wise over the codings (see `_tally`)
    resp_ids = list(answered_resp)
    cols = coding_rows if isinstance(coding_rows, CodingColumns) else coding_columns(coding_rows)
    per_code, named, other, respondents, n_excerpts = _tally(
        cols, places, resp_ids, [resp_name[r] for r in resp_ids], [resp_units[r] for r in resp_ids],
        [resp_lan[r] for r in resp_ids], answer_resp, rss_texts, speaks_for)
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
        slot = per_code.get(code_id)
        levels = {}
        for lvl in LEVELS:
            # every unit of a respondent who answered is among the answered units
            hits = slot[lvl] if slot is not None else _NO_HITS
            mentioned = tuple(sorted(hits.names, key=_sv_key))
            mentioned_set = set(mentioned)
            levels[lvl] = LevelCoverage(
                lvl, places.total(lvl), answered_names[lvl], mentioned,
                tuple(n for n in answered_names[lvl] if n not in mentioned_set), missing_names[lvl],
                hits.split, hits.codings, by_region if lvl == "kommuner" else (),
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


def _coding_columns(store, decisions: Sequence[str], include_negated: bool,
                    code_ids: Optional[list]) -> CodingColumns:
    """The counted codings as columns: packed by the store when it can, else from its rows."""
    packed = getattr(store, "coverage_codings_packed", None)
    if packed is not None:
        got = packed(decisions, include_negated=include_negated, code_ids=code_ids)
        cols = packed_columns(got) if got is not None else None
        if cols is not None:
            return cols
    return coding_columns(store.coverage_codings(decisions, include_negated=include_negated, code_ids=code_ids))


def project_coverage(store, *, include_suggestions: bool = False, decisions: Optional[Sequence[str]] = None,
                     round_label: Union[str, Sequence[str], None] = None, code_ids: Optional[Iterable[str]] = None,
                     doc: Optional[dict] = None, places: Optional[Places] = None,
                     include_negated: bool = False) -> ProjectCoverage:
    """Coverage of a project's codes (all of the codebook, or `code_ids`) at the three levels.

    `decisions` overrides `include_suggestions` (rejected codings are never counted unless named).
    """
    dec = tuple(decisions) if decisions is not None else decisions_for(include_suggestions)
    places = places or default_places()
    cats = categories_from_doc(doc) if doc is not None else categories(store)
    codes = [(c.id, c.label, c.category_id, c.category_label) for cat in cats for c in cat.codes]
    wanted = None if code_ids is None else set(code_ids)
    coding_rows = _coding_columns(store, dec, include_negated, None if wanted is None else sorted(wanted))
    known = {c[0] for c in codes}
    unknown = (coding_rows.code_set() | (wanted or set())) - known  # codes outside the codebook
    former = store.former_code_labels() if unknown and hasattr(store, "former_code_labels") else {}
    outside = {c: former[c] for c in unknown if c in former}
    if wanted is not None:
        codes = [c for c in codes if c[0] in wanted]
        codes += [(c, outside.get(c, c), "", OUTSIDE_CODEBOOK) for c in sorted(wanted - {c[0] for c in codes})]
    speaks = store.coverage_speaks_for(round_label) if hasattr(store, "coverage_speaks_for") else ()
    result = compute(store.coverage_answers(round_label), coding_rows, places, codes, decisions=dec,
                     round_label=round_label, outside_labels=outside, speaks_for_rows=speaks)
    return result


# ------------------------------------------------------------------ closed questions per level
NO_CHOICE = "(inget val)"
CLOSED_LEVELS: tuple[str, ...] = ("regions", "rss", "kommuner", "other")
_CLOSED_NOUN = {"regions": "regioner", "rss": "län", "kommuner": "kommuner", "other": "respondenter"}


@dataclass(frozen=True)
class ClosedChoices:
    """The choices of one closed question, counted on the respondent's own level (as coverage places it): a
    region, a län's RSS answer (one answer for the län's kommuner together: counted once, as the län's, never
    as the kommuner's own answers) and kommuner that answered themselves are counted apart. One unit counts a
    choice once however many answers (rounds, files) carry it."""

    options: tuple[str, ...]  # form order, then other choices seen, then NO_CHOICE
    chosen: Mapping[str, Mapping[str, tuple[str, ...]]]  # level -> choice -> unit names
    answered: Mapping[str, tuple[str, ...]]  # level -> unit names with an answer to the question
    totals: Mapping[str, int]  # level -> units possible (other: those seen)
    rows: tuple[tuple[str, str, str, str], ...]  # (län, level, respondent, choice) by län, level, name, option

    def count(self, level: str, choice: str) -> int:
        return len(self.chosen.get(level, {}).get(choice, ()))

    def levels(self) -> list[str]:
        """The levels with at least one answer, in CLOSED_LEVELS order (all but "other" always)."""
        return [lvl for lvl in CLOSED_LEVELS if self.answered.get(lvl) or lvl != "other"]

    def answered_figure(self, level: str) -> str:
        """"12 av 21 regioner"."""
        n = len(self.answered.get(level, ()))
        if level == "other":
            return f"{n} {_CLOSED_NOUN[level]}"
        return f"{n} av {self.totals[level]} {_CLOSED_NOUN[level]}"


def closed_choices(rows: Iterable[Sequence[Any]], places: Places, options: Sequence[str] = ()) -> ClosedChoices:
    """`rows`: (respondent name, type, lan, lan_code, kommun_code, choice) per answer to the question."""
    chosen: dict[str, dict[str, set[str]]] = {lvl: {} for lvl in CLOSED_LEVELS}
    units: set[tuple[str, str, str, str]] = set()
    for name, rtype, lan, lan_code, kommun_code, choice in rows:
        choice = str(choice).strip() if choice is not None and str(choice).strip() else NO_CHOICE
        lcode = places.lan_code(lan_code, lan)
        level, unit = "other", str(name)
        if rtype == "region" and lcode in places.regions:
            level, unit = "regions", places.name("regions", lcode)
        elif rtype == "kommun":
            kcode = places.kommun_code(kommun_code, name)
            if kcode is not None:
                lcode = places.kommuner[kcode][2]
                if lcode in places.not_relevant_lans:  # Gotland: the kommun's answer is the region's
                    if lcode in places.regions:
                        level, unit = "regions", places.name("regions", lcode)
                else:
                    level, unit = "kommuner", places.name("kommuner", kcode)
        elif rtype == "rss" and lcode in places.lans and lcode not in places.not_relevant_lans:
            level, unit = "rss", places.name("lan", lcode)
        chosen[level].setdefault(choice, set()).add(unit)
        lan_name = places.lans.get(lcode) if lcode else None
        lan_name = lan_name or (str(lan).strip() if lan and str(lan).strip() else "(okänt län)")
        units.add((lan_name, level, str(name), choice))  # the respondent as named (the unit counts once)
    seen = {c for by in chosen.values() for c in by}
    order = [o for o in options] + sorted((c for c in seen if c not in options and c != NO_CHOICE), key=_sv_key)
    if NO_CHOICE in seen:
        order.append(NO_CHOICE)
    answered = {lvl: tuple(sorted({u for us in by.values() for u in us}, key=_sv_key)) for lvl, by in chosen.items()}
    totals = {"regions": places.total("regions"), "rss": places.total("lan"), "kommuner": places.total("kommuner"),
              "other": len(answered["other"])}
    return ClosedChoices(
        tuple(order),
        {lvl: {c: tuple(sorted(us, key=_sv_key)) for c, us in by.items()} for lvl, by in chosen.items()},
        answered, totals,
        tuple(sorted(units, key=lambda t: (_sv_key(t[0]), CLOSED_LEVELS.index(t[1]), _sv_key(t[2]),
                                           order.index(t[3])))),
    )

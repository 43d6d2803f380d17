"""Respondent registry: 21 regions, 21 län (with their RSS) and 290 kommuner.

Data lives in ``data/registry/`` (``lan.csv``, ``kommuner.csv``, ``aliases.yaml``);
this module maps what a file writes to a canonical entry.

Canonical names (what the store and the CLI show):

* region -- the region's official name: "Region Dalarna", "Region Jämtland Härjedalen",
  "Region Jönköpings län", "Västra Götalandsregionen".
* kommun -- the kommun's legal name in the form "<genitive> kommun", as SCB's short name
  is used in the kommun's own legal name: "Örebro kommun", "Falu kommun" (Falun),
  "Göteborgs kommun", "Stockholms kommun", "Malmö kommun", "Kalmar kommun",
  "Gotlands kommun". Brand forms ("Göteborgs Stad", "Malmö stad", "Borås Stad",
  "Region Gotland" for the kommun) and non-genitive spellings ("Göteborg kommun",
  "Falun kommun") all map to it. SCB's short name ("Göteborg") is kept as ``short``.
* rss -- the län's kommuner answering together: "Kommunerna i <län>", e.g.
  "Kommunerna i Dalarnas län" (also for Gotland, whose only kommun is Region Gotland).
* län -- the official län name, "Dalarnas län", code "20" (codes skip 02, 11, 15, 16).

Matching is case-, diacritic- and punctuation-insensitive ("orebro", "ÖREBRO KOMMUN",
"region_dalarna"), and expands "Sthlm"/"Gbg". It never guesses silently:

* A name that explicitly says what it is wins: "Region X" -> region, "X kommun"/"X stad"
  -> kommun, "X län", "Kommunerna i X", "RSS X", "X läns kommuner", "Storsthlm", "VGK",
  "Kommunförbundet Skåne" ... -> rss. A region's or län's name that also says RSS or kommunerna
  ("Region Västerbotten (RSS)", "Västerbotten (kommunerna)", a file "Region_Vasterbotten_RSS.docx")
  -> that län's rss, unless a type hint says otherwise.
* A bare name ("Dalarna", "jamtland", "Falun") resolves only when it is unique at its
  level: a bare region name -> the region (the RSS needs ``type_hint='rss'``), a bare
  kommun name -> the kommun. Bare names that are both a region's and a kommun's
  ("Stockholm", "Uppsala", "Kalmar", "Jönköping", "Örebro") are ambiguous: without a
  type hint they come back unresolved (with the län filled in, since that is certain).
  "Gotland" alone means Region Gotland.
* ``type_hint`` ('region' | 'kommun' | 'rss', Swedish words accepted) chooses among
  the candidates; when no candidate has the hinted type, an explicit name still wins
  ("Region Dalarna" stays a region), otherwise the result is unresolved with that type.
* ``lan_hint`` (a län name, short name, code or letter) resolves the generic RSS names
  ("Länets kommuner", "RSS") and fills ``lan`` of unresolved results.

Unresolved results keep the name as written (stripped) with ``resolved=False``; the
analyst corrects them in the app. No fuzzy matching happens in :func:`resolve`;
:func:`suggest` offers close names for the analyst to choose from.
"""
from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

import config
from reference.records import Respondent

__all__ = [
    "Registry",
    "load_registry",
    "default_registry",
    "normalise_name",
    "resolve",
    "resolve_raw",
    "resolve_lan",
    "find_in_text",
    "candidates",
    "suggest",
    "regions",
    "lans",
    "kommuner",
    "rss",
    "rss_for_lan",
    "region_for_lan",
    "lan_name",
    "all_respondents",
]

EXPLICIT, BARE, SECONDARY = 0, 1, 2

_TYPE_WORDS = {
    "region": "region", "regionen": "region", "landsting": "region",
    "kommun": "kommun", "kommunen": "kommun", "stad": "kommun",
    "rss": "rss", "kommunerna": "rss", "lan": "rss", "lanets kommuner": "rss",
    "lansgemensam": "rss", "lansgemensamt": "rss",
}

# Words that say a name is a län's kommuner answering together (normalised: no diacritics, lower case).
_RSS_MARKERS = {"rss", "kommunerna", "kommunernas", "stodstruktur", "samverkansrad", "samverkansradet"}
_RSS_WORDS = {"regional", "regionalt", "regionala", "i", "for"}  # around the markers: "Regionalt samverkansråd i X"

# Words ignored when a file name or a short header is matched as a whole.
_FILLER = {
    "svar", "svaren", "fran", "slutredovisning", "slutredovisningen", "redovisning", "enkat", "enkaten",
    "formular", "formularet", "blankett", "nara", "vard", "god", "och", "final", "slutlig", "slutversion",
    "version", "ver", "utkast", "kopia", "rapport", "underlag", "till", "socialstyrelsen", "sos", "docx",
    "doc", "pdf", "xlsx", "xls", "csv", "txt", "md", "export", "besvarad", "ifylld", "inskickad", "ny",
    "reviderad", "rev", "ok", "klar", "sv", "v", "fore", "efter", "arbete", "inom", "ramen", "for",
    "omstallning", "primarvard", "primarvarden", "overenskommelse", "overenskommelsen", "av", "i",
}


def normalise_name(text: str) -> str:
    """Lower-case, strip diacritics and punctuation, collapse spaces ("Örebro läns" -> "orebro lans")."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("ø", "o").replace("æ", "ae").lower()
    text = re.sub(r"[^\w]+|_", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _exact(text: str) -> str:
    """Lower-case with diacritics kept, punctuation to spaces ("Håbo kommun" != "Habo kommun")."""
    text = unicodedata.normalize("NFC", text or "").lower()
    return " ".join(re.sub(r"[^\w]+|_", " ", text).split())


def _genitive(name: str) -> str:
    """Swedish genitive of a place name: "Falun" -> "Faluns", "Mora" -> "Mora", "Borås" -> "Borås"."""
    return name if name[-1].lower() in "aeiouyåäösxz" else name + "s"


@dataclass(frozen=True)
class Lan:
    """A län: official code and name, SCB short name, letter, its region and RSS label."""

    code: str
    name: str
    short: str
    letter: str
    region: str
    rss: str


@dataclass(frozen=True)
class Kommun:
    """A kommun: 4-digit code, SCB short name, canonical name and län code."""

    code: str
    short: str
    name: str
    lan_code: str


@dataclass
class Registry:
    """The loaded registry with its alias index. Build with :func:`load_registry`."""

    lans: dict[str, Lan]
    kommuner: dict[str, Kommun]
    # normalised alias -> {entry key: priority}; keys are "region:20", "rss:20", "kommun:2080"
    index: dict[str, dict[str, int]] = field(default_factory=dict)
    generic_rss: set[str] = field(default_factory=set)
    lan_index: dict[str, str] = field(default_factory=dict)
    abbreviations: dict[str, str] = field(default_factory=dict)
    lan_forms: set[str] = field(default_factory=set)
    # alias with its diacritics kept -> entry keys; separates "Håbo" from "Habo"
    exact: dict[str, set[str]] = field(default_factory=dict)
    _scan: Optional[dict] = None

    # ------------------------------------------------------------ entries
    def respondent(self, key: str, raw_name: Optional[str] = None) -> Respondent:
        """The canonical Respondent for an entry key ("region:20", "rss:20", "kommun:2080")."""
        kind, code = key.split(":", 1)
        if kind == "kommun":
            k = self.kommuner[code]
            lan = self.lans[k.lan_code]
            return Respondent(k.name, "kommun", lan.name, lan.code, k.code, True, raw_name)
        lan = self.lans[code]
        name = lan.region if kind == "region" else lan.rss
        return Respondent(name, kind, lan.name, lan.code, None, True, raw_name)

    def _lan_of(self, key: str) -> str:
        kind, code = key.split(":", 1)
        return self.kommuner[code].lan_code if kind == "kommun" else code

    # ------------------------------------------------------------ index
    def _add(self, alias: str, key: str, prio: int, *, force: bool = False) -> None:
        norm = self._norm(alias)
        if not norm:
            return
        slot = self.index.setdefault(norm, {})
        slot[key] = prio if force else min(prio, slot.get(key, prio))
        self.exact.setdefault(_exact(alias), set()).add(key)

    def _norm(self, text: str) -> str:
        words = normalise_name(text).split()
        return " ".join(self.abbreviations.get(w, w) for w in words)

    def build_index(self, aliases: dict) -> None:
        """Generate the systematic variants and add those listed in aliases.yaml."""
        self.abbreviations = {
            normalise_name(k): normalise_name(v) for k, v in (aliases.get("abbreviations") or {}).items()
        }
        for lan in self.lans.values():
            gen = lan.name[: -len(" län")]  # "Dalarnas", "Kalmar", "Västra Götalands"
            reg, rss_key = f"region:{lan.code}", f"rss:{lan.code}"
            region_short = re.sub(r"^Region\s+", "", lan.region)
            shorts = {lan.short, region_short} - {lan.region}
            # regions
            self._add(lan.region, reg, EXPLICIT)
            for s in shorts:
                self._add(f"Region {s}", reg, EXPLICIT)
                self._add(f"Landstinget {s}", reg, EXPLICIT)
                self._add(f"Landstinget i {s}", reg, EXPLICIT)
                self._add(f"Region {s} och kommunerna", rss_key, EXPLICIT)
                self._add(s, reg, BARE)
                self._add(s, rss_key, SECONDARY)
            self._add(f"Region {lan.name}", reg, EXPLICIT)
            self._add(f"{gen} läns landsting", reg, EXPLICIT)
            # län names -> the RSS (the kommuner of the län); a region hint may pick the region
            for lan_form in {lan.name, f"{lan.short} län", f"{_genitive(lan.short)} län"}:
                self.lan_forms.add(self._norm(lan_form))
                self._add(lan_form, rss_key, EXPLICIT)
                self._add(lan_form, reg, BARE)
            # RSS variants
            places = {lan.name, lan.short, region_short, gen}
            for p in places:
                for pattern in (
                    "Kommunerna i {}", "RSS {}", "RSS i {}", "RSS för {}", "Region och kommuner i {}",
                    "Regionen och kommunerna i {}", "Länets kommuner i {}", "Regional samverkans- och stödstruktur {}",
                    "Regional samverkans- och stödstruktur i {}", "Regional samverkans- och stödstruktur (RSS) {}",
                    "Regional samverkans- och stödstruktur (RSS) i {}", "Kommunerna och regionen i {}",
                    "RSS-kommunerna i {}",
                ):
                    self._add(pattern.format(p), rss_key, EXPLICIT)
            # "Dalarnas kommuner", "Dalarnas läns kommuner", "Region Örebro läns kommuner"
            for g in {gen, lan.name, lan.short, region_short, lan.region}:
                self._add(f"{g} kommuner", rss_key, EXPLICIT)
                if not g.endswith("s"):
                    self._add(f"{g}s kommuner", rss_key, EXPLICIT)
            self._add(f"Kommunerna i {lan.region}", rss_key, EXPLICIT)
            # län lookup for hints
            for form in (lan.name, lan.short, region_short, gen, lan.code, lan.letter, lan.region,
                         f"{lan.short} län", f"{_genitive(lan.short)} län", lan.rss):
                self.lan_index[self._norm(form)] = lan.code
            self.lan_index[str(int(lan.code))] = lan.code
        for k in self.kommuner.values():
            key = f"kommun:{k.code}"
            gen = _genitive(k.short)
            for form in {k.name, f"{k.short} kommun", f"{gen} kommun", f"{k.short} stad", f"{gen} stad",
                         f"{k.short}s kommun", f"Kommunen {k.short}", f"{k.short} kn", k.code}:
                self._add(form, key, EXPLICIT)
            if k.name.endswith(" kommun"):  # "Falu stad" for "Falu kommun"
                self._add(k.name[: -len(" kommun")] + " stad", key, EXPLICIT)
            self._add(k.short, key, BARE)
        for kind in ("region", "rss", "kommun"):
            section = aliases.get(kind) or {}
            for level, prio in (("explicit", EXPLICIT), ("bare", BARE), ("secondary", SECONDARY)):
                for code, names in (section.get(level) or {}).items():
                    code = str(code).zfill(4 if kind == "kommun" else 2)
                    if kind == "kommun" and code not in self.kommuner or kind != "kommun" and code not in self.lans:
                        raise ValueError(f"aliases.yaml: okänd kod {code} under {kind}.{level}")
                    for n in names or []:
                        self._add(n, f"{kind}:{code}", prio, force=level == "secondary")
        self.generic_rss = {self._norm(n) for n in (aliases.get("rss") or {}).get("generic") or []}

    # ------------------------------------------------------------ lookups
    def resolve_lan(self, text: Optional[str]) -> Optional[Lan]:
        """The län named by a hint ("Dalarnas län", "Dalarna", "20", "W", "Region Dalarna"), else None."""
        if not text or not str(text).strip():
            return None
        norm = self._norm(str(text))
        code = self.lan_index.get(norm)
        if code is None and norm.isdigit():
            code = self.lan_index.get(str(int(norm)))
        if code is None:
            keys = self.index.get(norm, {})
            lans = {self._lan_of(k) for k, p in keys.items() if p == EXPLICIT and not k.startswith("kommun:")}
            code = lans.pop() if len(lans) == 1 else None
        return self.lans.get(code) if code else None

    def candidates(self, name: str) -> dict[str, int]:
        """Entry keys the name may mean, with their priority (0 explicit, 1 bare, 2 secondary)."""
        norm = self._norm(name)
        if not norm:
            return {}
        found = dict(self.index.get(norm, {}))
        if len(found) > 1:
            # names that differ only in diacritics ("Håbo" / "Habo"): the spelling as written decides
            same = self.exact.get(_exact(name), set()) & set(found)
            if same and len(same) < len(found):
                found = {k: p for k, p in found.items() if k in same}
        if not found:
            # "Falun 2080", "2080 Falun", "Falu kommun (2080)": a kommun code with a matching name
            m = re.fullmatch(r"(?:(.*?)\s)?(\d{4})(?:\s(.*))?", norm)
            if m and f"kommun:{m.group(2)}" in self.index.get(m.group(2), {}):
                rest = " ".join(p for p in (m.group(1), m.group(3)) if p)
                key = f"kommun:{m.group(2)}"
                if not rest or key in self.index.get(rest, {}):
                    found = {key: EXPLICIT}
        return found

    def resolve(self, name: str, *, type_hint: Optional[str] = None, lan_hint: Optional[str] = None) -> Respondent:
        """Map a name as written to its canonical Respondent; see the module docstring for the rules."""
        raw = (name or "").strip()
        shown = re.sub(r"\s+", " ", raw)
        hint = _type_from_hint(type_hint)
        lan = self.resolve_lan(lan_hint)
        norm = self._norm(raw)
        if lan is not None and (norm in self.generic_rss or (hint == "rss" and not norm)):
            return self.respondent(f"rss:{lan.code}", raw_name=raw or None)
        found = self.candidates(raw) or self._named_inside(raw)
        if hint in (None, "rss"):
            rss = self._rss_marked(raw, found)
            if rss is not None:
                return self.respondent(rss, raw_name=raw)
        choice = _choose(found, hint)
        if choice is not None:
            return self.respondent(choice, raw_name=raw)
        lans = {self._lan_of(k) for k in found}
        if lan is None and len(lans) == 1:
            lan = self.lans[lans.pop()]
        if hint is None and norm in self.generic_rss:
            hint = "rss"
        return Respondent(shown, hint, lan.name if lan else None, lan.code if lan else None, None, False, raw)

    def _rss_marked(self, name: str, found: dict[str, int]) -> Optional[str]:
        """The RSS entry key of a name that names one län's region (or only the län) and also says
        RSS or kommunerna ("Region Västerbotten (RSS)", "Region Västerbotten – kommunerna",
        "Västerbotten (kommunerna)"): the län's kommuner answering together; None otherwise."""
        words = [self._norm(w) for w in re.findall(r"[^\W_]+", name[:1000])]
        if not _RSS_MARKERS.intersection(words):
            return None
        if found:
            if any(k.startswith("kommun:") for k in found):
                return None
            lans = {self._lan_of(k) for k in found}
            return f"rss:{lans.pop()}" if len(lans) == 1 else None
        rest = " ".join(w for w in words if w and w not in _RSS_MARKERS and w not in _RSS_WORDS)
        lan = self.resolve_lan(rest) if rest else None
        if lan is None and rest:  # a genitive before RSS: "Jönköpings läns RSS", "Skånes RSS", "Sörmlands RSS"
            bare = re.sub(r"s$", "", re.sub(r"\blans$", "lan", rest))
            lan = self.resolve_lan(bare) or self.resolve_lan(re.sub(r"\blans$", "lan", rest))
        return f"rss:{lan.code}" if lan is not None else None

    def _named_inside(self, name: str) -> dict[str, int]:
        """Explicit names inside a longer string ("Mora kommun, Dalarnas län", "Svar från Region Dalarna").

        Resolves only when they all name one entry; a län name beside a kommun or region of
        that län is taken as context, not as a second respondent.
        """
        if len(name) > 1000:
            return {}
        words = [w for w in re.findall(r"[^\W_]+", name) if self._norm(w)]
        hits = self._matches([self._norm(w) for w in words], words)
        keys = {k for _, _, _, k in hits}
        if len(keys) > 1:
            context = {k for _, _, a, k in hits if a in self.lan_forms}
            rest = keys - context
            if len(rest) == 1 and all(self._lan_of(k) == self._lan_of(next(iter(rest))) for k in context):
                keys = rest
        return {keys.pop(): EXPLICIT} if len(keys) == 1 else {}

    def _matches(self, tokens: list[str], written: Optional[list[str]] = None) -> list[tuple[int, int, str, str]]:
        """Explicit names in a token list: (start, end, alias, entry key), longest first at each start,
        none inside an earlier match. `written` (the tokens as written) separates names that differ
        only in diacritics."""
        trie = self._trie()
        out: list[tuple[int, int, str, str]] = []
        covered = 0
        for i in range(len(tokens)):
            node, found = trie, []
            for j in range(i, len(tokens)):
                node = node.get(tokens[j])  # type: ignore[assignment]
                if node is None:
                    break
                if "" in node:
                    found.append((j + 1, node[""]))
            for end, (alias, keys) in reversed(found):
                if len(keys) > 1 and written is not None:
                    keys = tuple(k for k in keys if k in self.exact.get(_exact(" ".join(written[i:end])), ()))
                if len(keys) == 1:
                    if end > covered:
                        out.append((i, end, alias, keys[0]))
                        covered = end
                    break
        return out

    def _trie(self) -> dict:
        """Token trie of the explicit aliases (at least 3 letters, not bare codes)."""
        if self._scan is None:
            root: dict = {}
            for alias, keys in self.index.items():
                if len(alias) < 3 or alias.isdigit():
                    continue
                explicit = [k for k, p in keys.items() if p == EXPLICIT]
                if not explicit:
                    continue
                node = root
                for tok in alias.split():
                    node = node.setdefault(tok, {})
                node[""] = (alias, tuple(explicit))
            self._scan = root
        return self._scan

    def find_in_text(self, text: str) -> Optional[Respondent]:
        """The first respondent named explicitly in a header, paragraph or file name, else None.

        Explicit forms ("Region Dalarna", "Mora kommun", "Kommunerna i Kalmar län") are found
        anywhere; a bare name ("Falun.pdf", "dalarna_2022.docx") only when it is all the text
        says besides filler words (svar, slutredovisning, years, extensions).
        """
        if not text or not text.strip():
            return None
        text = text[:5000]
        # words of the text with their spans, so that raw_name is the span as written
        tokens: list[tuple[int, int, str]] = []
        for m in re.finditer(r"[^\W_]+", text):
            w = self._norm(m.group())
            if w:
                tokens.append((m.start(), m.end(), w))
        hits = self._matches([t[2] for t in tokens], [text[a:b] for a, b, _ in tokens])
        # a title or file name as short as this that says RSS or kommunerna is the län's kommuner answering
        # ("Region_Vasterbotten_RSS_2022.docx"); in a longer text those words may be about them
        says_rss = len(tokens) <= 12 and not _RSS_MARKERS.isdisjoint(t[2] for t in tokens)
        if hits:
            i, j, _, key = hits[0]
            if says_rss and key.startswith("region:"):  # (its name as written: the whole short text)
                return self.respondent("rss:" + key.split(":", 1)[1], raw_name=text[tokens[0][0]:tokens[-1][1]])
            return self.respondent(key, raw_name=text[tokens[i][0]:tokens[j - 1][1]])
        kept = [t for t in tokens if t[2] not in _FILLER and not re.fullmatch(r"v?\d+", t[2])]
        if 0 < len(kept) <= 4:
            raw_name = " ".join(text[a:b] for a, b, _ in kept)
            choice = _choose(self.index.get(" ".join(t[2] for t in kept), {}), None)
            if choice is None and says_rss:
                lan = self.resolve_lan(" ".join(t[2] for t in kept if t[2] not in _RSS_MARKERS))
                choice = f"rss:{lan.code}" if lan is not None else None
            if choice is not None:
                return self.respondent(choice, raw_name=raw_name)
        return None

    def suggest(self, name: str, n: int = 5) -> list[Respondent]:
        """Close registry entries for an unresolved name, best first (for the analyst to pick)."""
        norm = self._norm(name)
        if not norm:
            return []
        close = difflib.get_close_matches(norm, list(self.index), n=n * 3, cutoff=0.6)
        out: list[str] = []
        for alias in close:
            for key, _ in sorted(self.index[alias].items(), key=lambda kv: kv[1]):
                if key not in out:
                    out.append(key)
        return [self.respondent(k) for k in out[:n]]

    # ------------------------------------------------------------ lists
    def regions(self) -> list[Respondent]:
        return [self.respondent(f"region:{c}") for c in self.lans]

    def rss(self) -> list[Respondent]:
        return [self.respondent(f"rss:{c}") for c in self.lans]

    def kommun_list(self) -> list[Respondent]:
        return [self.respondent(f"kommun:{c}") for c in self.kommuner]

    def lan_list(self) -> list[Respondent]:
        return [Respondent(lan.name, None, lan.name, lan.code, None, True, None) for lan in self.lans.values()]


def _type_from_hint(hint: Optional[str]) -> Optional[str]:
    if not hint:
        return None
    return _TYPE_WORDS.get(normalise_name(hint))


def _choose(found: dict[str, int], hint: Optional[str]) -> Optional[str]:
    """Pick the single best entry key, or None when nothing or more than one fits."""
    if not found:
        return None
    pool = found
    if hint is not None:
        typed = {k: p for k, p in found.items() if k.startswith(hint + ":")}
        if typed:
            pool = typed
        else:
            explicit = [k for k, p in found.items() if p == EXPLICIT]
            return explicit[0] if len(explicit) == 1 else None
    best = min(pool.values())
    keys = [k for k, p in pool.items() if p == best]
    return keys[0] if len(keys) == 1 else None


def load_registry(directory: str | Path = config.REGISTRY_DIR) -> Registry:
    """Read lan.csv, kommuner.csv and aliases.yaml from a directory and index them."""
    directory = Path(directory)
    with open(directory / "lan.csv", encoding="utf-8", newline="") as f:
        lans = {
            r["lanskod"]: Lan(r["lanskod"], r["lan"], r["kortnamn"], r["bokstav"], r["region"], r["rss"])
            for r in csv.DictReader(f)
        }
    with open(directory / "kommuner.csv", encoding="utf-8", newline="") as f:
        kommuner = {
            r["kommunkod"]: Kommun(r["kommunkod"], r["kortnamn"], r["kommun"], r["lanskod"])
            for r in csv.DictReader(f)
        }
    for k in kommuner.values():
        if k.lan_code not in lans or k.code[:2] != k.lan_code:
            raise ValueError(f"kommuner.csv: kommun {k.code} {k.short} har fel länskod {k.lan_code}")
    aliases = yaml.safe_load((directory / "aliases.yaml").read_text(encoding="utf-8")) or {}
    reg = Registry(lans, kommuner)
    reg.build_index(aliases)
    return reg


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The registry shipped in data/registry/ (loaded once)."""
    return load_registry(config.REGISTRY_DIR)


# ---------------------------------------------------------------- module API
def resolve(name: str, *, type_hint: Optional[str] = None, lan_hint: Optional[str] = None) -> Respondent:
    """Map a respondent name as written to its canonical Respondent (unresolved when unsure)."""
    return default_registry().resolve(name, type_hint=type_hint, lan_hint=lan_hint)


def resolve_raw(answer) -> Respondent:
    """Resolver for ``ProjectStore.import_parsed``: uses a RawAnswer's respondent, type and län hints."""
    return resolve(answer.respondent, type_hint=answer.respondent_type, lan_hint=answer.lan)


def resolve_lan(text: Optional[str]) -> Optional[Lan]:
    """The Lan named by a hint ("Dalarnas län", "Dalarna", "20", "W"), or None."""
    return default_registry().resolve_lan(text)


def find_in_text(text: str) -> Optional[Respondent]:
    """Find a respondent named in a header, first paragraph or file name; None if none is clear."""
    return default_registry().find_in_text(text)


def candidates(name: str) -> list[Respondent]:
    """Every entry a name may mean (e.g. "Uppsala" -> region and kommun), best first."""
    reg = default_registry()
    return [reg.respondent(k) for k, _ in sorted(reg.candidates(name).items(), key=lambda kv: kv[1])]


def suggest(name: str, n: int = 5) -> list[Respondent]:
    """Close entries for an unresolved name, for the analyst to choose from."""
    return default_registry().suggest(name, n)


def regions() -> list[Respondent]:
    """The 21 regions, in län code order."""
    return default_registry().regions()


def lans() -> list[Respondent]:
    """The 21 län as Respondent-shaped records (type None, name = lan = official län name)."""
    return default_registry().lan_list()


def kommuner() -> list[Respondent]:
    """The 290 kommuner, in kommun code order."""
    return default_registry().kommun_list()


def rss() -> list[Respondent]:
    """The 21 RSS entries (a län's kommuner answering together)."""
    return default_registry().rss()


def rss_for_lan(lan_code: str) -> Respondent:
    """The RSS entry of a län, by code ("20") or any län hint ("Dalarnas län")."""
    reg = default_registry()
    lan = reg.lans.get(str(lan_code).zfill(2)) if str(lan_code).isdigit() else reg.resolve_lan(lan_code)
    if lan is None:
        raise KeyError(f"Okänt län: {lan_code}")
    return reg.respondent(f"rss:{lan.code}")


def region_for_lan(lan_code: str) -> Respondent:
    """The region of a län, by code or any län hint."""
    reg = default_registry()
    lan = reg.lans.get(str(lan_code).zfill(2)) if str(lan_code).isdigit() else reg.resolve_lan(lan_code)
    if lan is None:
        raise KeyError(f"Okänt län: {lan_code}")
    return reg.respondent(f"region:{lan.code}")


def lan_name(lan_code: str) -> Optional[str]:
    """Official län name for a code ("20" -> "Dalarnas län")."""
    lan = default_registry().lans.get(str(lan_code).zfill(2))
    return lan.name if lan else None


def all_respondents() -> list[Respondent]:
    """Regions, RSS entries and kommuner: everything an analyst can assign an answer to."""
    return regions() + rss() + kommuner()

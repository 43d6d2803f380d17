"""Codebook tagger: excerpts and codes with evidence, negation, status, scope and confidence.

Usage::

    tagger = Tagger(default_codebook())
    results = tagger.tag_texts(["De mobila teamen har breddinförts i hela länet."])
    results[0].codes            # ['mobila_team']
    results[0].evidence[0]      # Evidence(code='mobila_team', start=3, end=16, match='mobila teamen', ...)

The tagger keeps every analysed text (:class:`AnalysedText`: tokens, lemmas, segments, offset
map) so that :meth:`Tagger.retag` after a codebook edit re-runs only the matching. Evidence
offsets are character offsets into the ORIGINAL text.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Iterable, Optional, Sequence

import numpy as np

from nlp import markers as mk
from nlp.codebook import Codebook, default_codebook
from nlp.termmatch import TermIndex, WordFeatures

__all__ = ["Evidence", "Excerpt", "TagResult", "AnalysedText", "CompiledCodebook", "Tagger", "RULE_CONFIDENCE"]

# Confidence of a rule hit by the kind of rule that fired.
RULE_CONFIDENCE = {"keyword": 0.9, "abbreviation": 0.85, "compound": 0.85, "cooccurrence3": 0.75,
                   "cooccurrence": 0.65, "weak": 0.6}
NEG_BEFORE_WINDOW = 12
NEG_AFTER_WINDOW = 6
# Co-occurrence: the concept words must lie within this many words (2 lists / 3 lists).
COOC_WINDOW = {2: 10, 3: 16}


@dataclass
class Evidence:
    """One code found in an excerpt, with the words that triggered it."""

    code: str
    start: int
    end: int
    match: str
    negated: bool = False
    status: str = mk.UNKNOWN
    scope: str = mk.UNKNOWN
    confidence: float = 0.9
    origin: str = "rule"
    rule: str = ""
    excerpt_start: int = 0
    excerpt_end: int = 0

    def to_json(self) -> dict:
        """The CLI's evidence object."""
        return {"code": self.code, "start": self.start, "end": self.end, "match": self.match,
                "negated": self.negated, "status": self.status, "scope": self.scope,
                "confidence": round(float(self.confidence), 3)}


@dataclass
class Excerpt:
    """A sentence or list item (char offsets into the original text) and its codes."""

    start: int
    end: int
    text: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return list(dict.fromkeys(e.code for e in self.evidence if not e.negated))


@dataclass
class TagResult:
    """Tagging of one text."""

    id: Optional[str]
    text: str
    excerpts: list[Excerpt] = field(default_factory=list)

    @property
    def evidence(self) -> list[Evidence]:
        return [e for x in self.excerpts for e in x.evidence]

    @property
    def codes(self) -> list[str]:
        """Codes present and not negated, in order of first evidence."""
        return list(dict.fromkeys(e.code for e in self.evidence if not e.negated))

    def to_json(self) -> dict:
        return {"id": self.id, "codes": self.codes, "evidence": [e.to_json() for e in self.evidence]}


# --------------------------------------------------------------------------- analysed text


class _Offsets:
    """Minimal stand-in carrying a Doc's offset map for pipeline.original_span."""

    __slots__ = ("user_data",)

    def __init__(self, breaks):
        self.user_data = {"offsets": breaks} if breaks else {}


@dataclass
class AnalysedText:
    """Compact analysed form of one text: what matching needs, nothing more."""

    text: str
    orth: np.ndarray  # uint64 hashes
    lemma: np.ndarray
    idx: np.ndarray  # char start in the normalised text
    length: np.ndarray
    space: np.ndarray  # bool
    segments: list[tuple[int, int]]  # token ranges
    breaks: tuple = ()

    @classmethod
    def from_doc(cls, doc, text: Optional[str] = None) -> "AnalysedText":
        from spacy.attrs import IDX, IS_SPACE, LEMMA, LENGTH, ORTH, SENT_START

        n = len(doc)
        if n == 0:
            e = np.zeros(0, dtype="uint64")
            return cls(text if text is not None else doc.text, e, e, e.astype("int64"), e.astype("int64"),
                       e.astype(bool), [], tuple(doc.user_data.get("offsets", ()) or ()))
        arr = doc.to_array([ORTH, LEMMA, IDX, LENGTH, SENT_START, IS_SPACE])
        orth = arr[:, 0].copy()
        lemma = arr[:, 1].copy()
        idx = arr[:, 2].astype("int64")
        length = arr[:, 3].astype("int64")
        starts = arr[:, 4].astype("int64") == 1
        space = arr[:, 5].astype(bool)
        starts[0] = True
        bounds = np.flatnonzero(starts).tolist() + [n]
        segs = []
        for s, e in zip(bounds[:-1], bounds[1:]):
            while s < e and space[s]:
                s += 1
            while e > s and space[e - 1]:
                e -= 1
            if e > s:
                segs.append((s, e))
        breaks = tuple(doc.user_data.get("offsets", ()) or ())
        return cls(text if text is not None else doc.text, orth, lemma, idx, length, space, segs, breaks)

    def original_span(self, norm_start: int, norm_end: int) -> tuple[int, int]:
        from nlp.pipeline import original_span

        return original_span(_Offsets(self.breaks), norm_start, norm_end)

    def char_span(self, tok_start: int, tok_end: int) -> tuple[int, int]:
        """Original-text char span of tokens [tok_start, tok_end)."""
        s = int(self.idx[tok_start])
        e = int(self.idx[tok_end - 1] + self.length[tok_end - 1])
        return self.original_span(s, e)


# --------------------------------------------------------------------------- compiled codebook


class CompiledCodebook:
    """A codebook compiled into one :class:`TermIndex` (codes and markers)."""

    def __init__(self, codebook: Codebook):
        from nlp.pipeline import get_nlp, lemma

        nlp = get_nlp()
        tok = nlp.tokenizer

        def tokenize(text: str) -> list[str]:
            return [t.text for t in tok(text)]

        self.codebook = codebook
        self.code_ids = codebook.code_ids
        ix = TermIndex(lemma, tokenize)
        for code in codebook.codes:
            c = code.id
            for k in code.keywords:
                ix.add_phrase(k, "kw", (c, "keyword"))
            for a in code.abbreviations:
                if a and any(ch.isupper() for ch in a):
                    ix.add_abbreviation(a, "kw", (c, "abbreviation"))
                else:
                    ix.add_phrase(a, "kw", (c, "keyword"))
            for rule in code.compounds:
                ix.add_head_rule(rule["head"], rule["modifiers"], "kw", (c, "compound"),
                                 f"{rule['head']} + {'/'.join(rule['modifiers'])}")
            for k in code.weak_keywords:
                ix.add_phrase(k, "weak", (c,))
            for k in code.weak_requires:
                ix.add_phrase(k, "req", (c,))
            for k in code.negative_keywords:
                ix.add_phrase("=" + k if not k.startswith("=") else k, "negkw", (c,))
            for r, rule in enumerate(code.cooccurrence):
                for j, lst in enumerate(rule["all"]):
                    for k in lst:
                        ix.add_phrase(k, "cc", (c, r, j))
        for phrase, kind, value in mk.marker_phrases(codebook.markers):
            ix.add_phrase("=" + phrase, kind, (value,))
        self.index = ix
        self.ncc = {code.id: [len(r["all"]) for r in code.cooccurrence] for code in codebook.codes}
        self._feat_cache: dict[int, WordFeatures] = {}

    def features(self, a: AnalysedText, strings) -> list[WordFeatures]:
        """Per-token features of an analysed text (cached per word form hash)."""
        cache = self._feat_cache
        out = []
        ix = self.index
        for o, l in zip(a.orth.tolist(), a.lemma.tolist()):
            f = cache.get(o)
            if f is None:
                f = ix.features(strings[o], strings[l])
                cache[o] = f
            out.append(f)
        return out


# --------------------------------------------------------------------------- tagger


class Tagger:
    """Rule tagger over analysed texts; keeps them for fast re-tagging.

    ``codebook`` defaults to the bundled one. ``model`` is an optional fitted
    :class:`nlp.suggest.CodeSuggester` whose suggestions are merged (origin 'model').
    """

    def __init__(self, codebook: Optional[Codebook] = None, *, model=None, model_threshold: float = 0.5):
        self.codebook = codebook if codebook is not None else default_codebook()
        self.compiled = CompiledCodebook(self.codebook)
        self.model = model
        self.model_threshold = model_threshold
        self.analysed: list[AnalysedText] = []
        self.ids: list[Optional[str]] = []

    # ------------------------------------------------------------------ api
    def set_codebook(self, codebook: Codebook) -> None:
        """Switch to an edited codebook (recompiles the patterns only)."""
        self.codebook = codebook
        self.compiled = CompiledCodebook(codebook)

    def tag_texts(self, texts: Sequence[str], ids: Optional[Sequence[Optional[str]]] = None) -> list[TagResult]:
        """Analyse and tag raw texts."""
        from nlp.pipeline import analyse

        texts = [t or "" for t in texts]
        docs = analyse(texts)
        return self.tag_docs(docs, texts=texts, ids=ids)

    def tag_docs(self, docs, texts: Optional[Sequence[str]] = None,
                 ids: Optional[Sequence[Optional[str]]] = None) -> list[TagResult]:
        """Tag analysed Docs (from pipeline.analyse); keeps their analysed form for retag()."""
        docs = list(docs)
        analysed = [AnalysedText.from_doc(d, texts[i] if texts is not None else None) for i, d in enumerate(docs)]
        ids = list(ids) if ids is not None else [None] * len(docs)
        self.analysed = analysed
        self.ids = ids
        return self.tag_analysed(analysed, ids)

    def retag(self, codebook: Optional[Codebook] = None) -> list[TagResult]:
        """Re-run matching over the kept analysed texts (after a codebook edit)."""
        if codebook is not None:
            self.set_codebook(codebook)
        return self.tag_analysed(self.analysed, self.ids)

    def tag_analysed(self, analysed: Sequence[AnalysedText], ids: Sequence[Optional[str]]) -> list[TagResult]:
        from nlp.pipeline import get_nlp

        strings = get_nlp().vocab.strings
        results = [self._tag_one(a, i, strings) for a, i in zip(analysed, ids)]
        if self.model is not None:
            self._add_model(results, analysed)
        return results

    # ------------------------------------------------------------------ rules
    def _tag_one(self, a: AnalysedText, doc_id: Optional[str], strings) -> TagResult:
        res = TagResult(id=doc_id, text=a.text)
        if not a.segments:
            return res
        cc = self.compiled
        feats = cc.features(a, strings)
        is_word = (~a.space).tolist()
        for s, e in a.segments:
            ev: list[Evidence] = []
            seg_feats = feats[s:e]
            if any(f.first or f.heads for f in seg_feats):
                hits = cc.index.match(seg_feats, is_word[s:e])
                if hits:
                    ev = self._segment_evidence(a, s, e, hits, feats, is_word, strings)
            xs, xe = a.char_span(s, e)
            res.excerpts.append(Excerpt(start=xs, end=xe, text=a.text[xs:xe], evidence=ev))
        return res

    def _segment_evidence(self, a: AnalysedText, s: int, e: int, hits, feats, is_word, strings) -> list[Evidence]:
        ix = self.compiled.index
        terms = ix.terms
        code_hits: dict[str, list[tuple[int, int, str, str]]] = {}
        weak: dict[str, list[tuple[int, int]]] = {}
        req: set[str] = set()
        negkw: dict[str, list[tuple[int, int]]] = {}
        cc: dict[tuple[str, int], dict[int, tuple[int, int]]] = {}
        negs: list[tuple[int, int]] = []
        status: list[tuple[int, str]] = []
        scope: list[tuple[int, str]] = []
        for tid, hs, he in hits:
            hs += s
            he += s
            if tid < 0:
                rule = ix.head_rules[-1 - tid]
                code_hits.setdefault(rule.payload[0], []).append((hs, he, "compound", rule.text))
                continue
            t = terms[tid]
            k = t.kind
            if k == "kw":
                code_hits.setdefault(t.payload[0], []).append((hs, he, t.payload[1], t.text))
            elif k == "weak":
                weak.setdefault(t.payload[0], []).append((hs, he))
            elif k == "req":
                req.add(t.payload[0])
            elif k == "negkw":
                negkw.setdefault(t.payload[0], []).append((hs, he))
            elif k == "cc":
                c, r, j = t.payload
                cc.setdefault((c, r), {}).setdefault(j, []).append((hs, he))
            elif k == "neg":
                negs.append((hs, he))
            elif k == "status":
                status.append((hs, t.payload[0]))
            elif k == "scope":
                scope.append((hs, t.payload[0]))
        for c, lst in weak.items():
            if c in req:
                for hs, he in lst:
                    code_hits.setdefault(c, []).append((hs, he, "weak", ""))
        for (c, r), slot in cc.items():
            need = self.compiled.ncc[c][r]
            if len(slot) == need:
                best = _best_cooccurrence([slot[j][:6] for j in range(need)], is_word)
                if best is not None:
                    hs, he = best
                    kind = "cooccurrence3" if need == 3 else "cooccurrence"
                    code_hits.setdefault(c, []).append((hs, he, kind, f"samförekomst {r + 1}"))
        if not code_hits:
            return []
        # clause ids for negation / marker scope
        clause = self._clauses(a, s, e, feats)
        out: list[Evidence] = []
        for c, lst in code_hits.items():
            excl = negkw.get(c, ())
            kept: list[tuple[int, int, str, str]] = []
            for h in sorted(lst, key=lambda x: (x[0], -(x[1] - x[0]))):
                hs, he = h[0], h[1]
                if any(ns <= hs and he <= ne for ns, ne in excl):
                    continue
                if any(not (he <= ks or hs >= ke) for ks, ke, _, _ in kept):
                    continue
                kept.append(h)
            for hs, he, kind, rule in kept:
                negated = self._negated(hs, he, negs, clause, s, feats, is_word)
                st = self._marker(status, hs, clause, s)
                if negated and st in ("genomförd", "pågående"):
                    st = mk.UNKNOWN
                sc = self._marker(scope, hs, clause, s)
                cs, ce = a.char_span(hs, he)
                out.append(Evidence(code=c, start=cs, end=ce, match=a.text[cs:ce], negated=negated, status=st,
                                    scope=sc, confidence=RULE_CONFIDENCE.get(kind, 0.8), origin="rule",
                                    rule=f"{kind}:{rule}" if rule else kind))
        out.sort(key=lambda x: (x.start, x.code))
        return out

    @staticmethod
    def _clauses(a: AnalysedText, s: int, e: int, feats) -> list[int]:
        """Clause number of every token in [s, e) (boundary tokens start a new clause)."""
        out = []
        n = 0
        for i in range(s, e):
            if mk.is_clause_boundary(feats[i].lower):
                n += 1
            out.append(n)
        return out

    @staticmethod
    def _negated(hs, he, negs, clause, s, feats, is_word) -> bool:
        for ns, ne in negs:
            if ns >= hs and ne <= he:
                return True
            cue = feats[ns].keys
            # "inte bara", "inte minst" ... are not negations
            nxt = ne
            while nxt < len(feats) and not is_word[nxt]:
                nxt += 1
            if ne - ns == 1 and nxt < len(feats):
                skip = False
                for cw, follow in mk.NOT_NEGATION.items():
                    if cw in cue and not feats[nxt].keys.isdisjoint(follow):
                        skip = True
                if skip:
                    continue
            if ne <= hs:
                if clause[ne - 1 - s] != clause[hs - s]:
                    # the cue itself may be a boundary word? only count same clause
                    continue
                if sum(is_word[ne:hs]) > NEG_BEFORE_WINDOW:
                    continue
                return True
            if ns >= he:
                if clause[ns - s] != clause[he - 1 - s]:
                    continue
                if sum(is_word[he:ns]) > NEG_AFTER_WINDOW:
                    continue
                return True
        return False

    @staticmethod
    def _marker(found: list[tuple[int, str]], pos: int, clause, s) -> str:
        if not found:
            return mk.UNKNOWN
        same = [(p, v) for p, v in found if clause[p - s] == clause[pos - s]]
        return mk.nearest(same or found, pos)

    # ------------------------------------------------------------------ model
    def _add_model(self, results: list[TagResult], analysed: Sequence[AnalysedText]) -> None:
        from nlp.suggest import merge_model_suggestions

        merge_model_suggestions(self, results, analysed)



def _best_cooccurrence(lists: list[list[tuple[int, int]]], is_word) -> Optional[tuple[int, int]]:
    """Tightest combination of one hit per concept list (different words), within the window."""
    from itertools import product

    best = None
    best_len = None
    limit = COOC_WINDOW.get(len(lists), 16)
    for combo in product(*lists):
        starts = {h[0] for h in combo}
        if len(starts) < len(combo):
            continue
        if any(a[0] < b[1] and b[0] < a[1] for k, a in enumerate(combo) for b in combo[k + 1:]):
            continue
        hs = min(h[0] for h in combo)
        he = max(h[1] for h in combo)
        words = sum(is_word[hs:he])
        if words <= limit and (best_len is None or words < best_len):
            best, best_len = (hs, he), words
    return best

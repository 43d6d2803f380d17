"""Word clouds of excerpts: the words that characterise a code's excerpts against all answers of the project.

The code's own words, Swedish stop words (spaCy's list, the project's additions and FILLER_WORDS) and the names
of respondents (regions, län, kommuner, RSS) are left out; inflected forms count under one lemma (shown as its
most frequent form); each word is weighted by its keyness, a smoothed log-ratio of its rate in the excerpts
against its rate in the rest of the answers, so that words every answer uses (generic verbs) drop out by the
weighting; words only a verb form can be ("ingår", "utvecklats", by nlp.verbforms) are left out. Drawn as PNG bytes.
"""
from __future__ import annotations

import functools
import io
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from wordcloud import WordCloud
from wordcloud.wordcloud import FONT_PATH

from spacy.lang.sv.stop_words import STOP_WORDS as SPACY_STOP_WORDS

from nlp.lang_sv.stop_words import STOP_WORDS

# Words every answer uses (who answers, generic verbs): they would dominate every cloud.
CLOUD_STOP = {
    "kommun", "kommunen", "kommuner", "kommunerna", "kommunernas", "region", "regionen", "regioner", "regionens",
    "län", "länet", "länets", "arbetar", "arbete", "arbetet", "gäller", "finns", "varje", "även", "också", "samt",
    "genom", "inom", "olika", "både", "bl.a", "t.ex", "mm",
}

# Filler words a stop-word list leaves in (spaCy's Swedish list has "alla" and "mycket" but not these): words of
# amount and extent ("i hela länet", "helt", "flera", "fler"), degree ("ganska", "väldigt"), frequency and time
# ("alltid", "ofta", "redan", "idag", "varannan vecka"), focus ("bara", "endast"), vague nouns and adjectives
# ("sätt", "nya", "stor") that say how much or when, never what a measure is, and the words of a reference to
# another answer ("se fråga 5a", "se svaret ovan"). Base forms are listed with their
# inflections, as the cloud drops a word whose lemma is a stop word.
FILLER_WORDS = frozenset("""
    hel hela helt delvis del delar delen mängd antal flera fler flest färre fåtal många mången mycket mer
    mera mest lite mindre minst största större stor stora stort liten små ganska väldigt jättemycket särskilt
    speciellt framför allt främst huvudsakligen ungefär nästan totalt sammantaget
    alltid aldrig ofta ibland sällan oftast ständigt redan fortfarande ännu längre nu idag numera tidigare senare
    hittills framöver snart sedan därefter löpande kontinuerligt återkommande regelbundet gång gånger
    varannan vartannat dag dagen dagar dagligen vecka veckan veckor veckovis månad månaden månader månadsvis
    kvartal kvartalet halvår halvåret timme timmar år året åren årlig årliga årligt årligen årsvis
    januari februari mars april maj juni juli augusti september oktober november december
    vår våren sommar sommaren höst hösten vinter vintern direkt
    bara endast enbart just precis dock därför exempelvis exempel bland annat vidare likaså liksom
    sätt sättet vis form typ slag ny nya nytt nyligen god goda gott bra bättre bäst
    viktig viktiga viktigt tydlig tydligt tydligare
    se ovan nedan fråga frågan frågor frågorna svar svaret svaren punkt punkten bilaga bilagan
""".split())


def code_words(doc: dict, code_id: str) -> tuple[str, ...]:
    """The words of a code's own label and keywords (lower case): they would fill its word cloud."""
    words: set[str] = set()
    for cat in doc.get("categories") or []:
        for code in cat.get("codes") or []:
            if code.get("id") == code_id:
                for phrase in [code.get("label") or ""] + list(code.get("keywords") or []) + \
                        list(code.get("abbreviations") or []):
                    words.update(w for w in re.findall(r"\w+", str(phrase).lower()) if len(w) > 2)
    return tuple(sorted(words))


def without_words(text: str, words: tuple[str, ...]) -> str:
    """The text without tokens that are, or inflect, one of `words` (same stem, up to three letters more)."""
    stems = tuple(w if len(w) < 6 else w[:-1] for w in words)

    def keep(token: str) -> bool:
        low = token.lower()
        return not any(low.startswith(s) and len(low) - len(s) <= 3 for s in stems)

    return " ".join(t for t in re.findall(r"\w+", text) if keep(t))


# Markup pasted into an answer (a web form's HTML, "<script>…</script>") is shown literally on the pages,
# but its tag names and code are not the respondent's words: they would top the cloud.
_CODE_ELEMENT = re.compile(r"<(script|style)\b[^>]{0,200}>.{0,2000}?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")
# the first part of a compound left open before "och"/"eller" ("hälso- och sjukvård", "region- och kommun"):
# half a word, not a word of the cloud ("hälso")
_HYPHEN_ELLIPSIS = re.compile(r"\b\w+-(?=\s+(?:och|eller|samt|resp\.?|respektive)\b)", re.I)


@functools.lru_cache(maxsize=2)
def _drawable_chars(font_path: str) -> frozenset[int]:
    """The code points the cloud's font has a glyph for."""
    from fontTools.ttLib import TTFont  # a dependency of matplotlib and wordcloud's drawing

    with TTFont(font_path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def drawable_words(text: str, font_path: str = FONT_PATH) -> str:
    """The words of `text` whose every character the cloud's font can draw (an Arabic or Hebrew word, an emoji,
    drew as a row of empty boxes; the excerpts show them as written)."""
    chars = _drawable_chars(font_path)
    return " ".join(w for w in text.split() if all(ord(c) in chars for c in w))


def cloud_text(texts: tuple[str, ...], leave_out: tuple[str, ...] = ()) -> str:
    """The lower-case text a cloud is drawn from: markup, `leave_out` words and words its font cannot draw removed."""
    text = _HYPHEN_ELLIPSIS.sub(" ", _TAG.sub(" ", _CODE_ELEMENT.sub(" ", " ".join(texts)))).lower()
    return drawable_words(without_words(text, leave_out) if leave_out else text)


# ------------------------------------------------------------------ respondents' names

def _plain(word: str) -> str:
    """The word without diacritics ("örebro" -> "orebro"): answers sometimes write names so."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def name_words(names: Iterable[str]) -> frozenset[str]:
    """The lower-case words of respondents' names in their inflections, to leave out of a cloud.

    "Region Dalarna" -> region, regions, dalarna, dalarnas; "Dalarnas län" -> dalarnas, dalarna, län, läns;
    each also without diacritics. Stop words in names ("i", "och") are not name words."""
    out: set[str] = set()
    for name in names:
        for word in re.findall(r"[^\W\d_]+", str(name or "").lower()):
            if len(word) < 2 or word in STOP_WORDS:
                continue
            forms = {word, word + "s"}
            if word.endswith("s") and len(word) > 3:  # a genitive: "dalarnas" -> "dalarna"
                forms.add(word[:-1])
            out.update(forms | {_plain(f) for f in forms})
    return frozenset(out - set(STOP_WORDS))


def registry_names() -> tuple[str, ...]:
    """Every respondent's name the national registry knows: regions, RSS, kommuner, län (with short forms)."""
    from reference.registry import default_registry

    reg = default_registry()
    names: set[str] = set()
    for lan in reg.lans.values():
        names.update((lan.name, lan.short, lan.region, lan.rss, f"RSS {lan.short}"))
    for kommun in reg.kommuner.values():
        names.update((kommun.name, kommun.short))
    names.update(_alias_names())
    return tuple(sorted(n for n in names if n))


def _alias_names() -> list[str]:
    """The explicit naming variants of aliases.yaml ("VGR", "Kommunförbundet Skåne"); not its generic RSS names
    ("Regional samverkans- och stödstruktur"), whose words are words of the measures too."""
    import yaml

    import config

    try:
        doc = yaml.safe_load((Path(config.REGISTRY_DIR) / "aliases.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):  # the registry itself reports a broken file when it loads
        return []
    out: list[str] = []
    for kind in ("region", "rss", "kommun"):
        section = doc.get(kind) if isinstance(doc.get(kind), dict) else {}
        for level in ("explicit", "bare", "secondary"):
            by_code = section.get(level) if isinstance(section.get(level), dict) else {}
            for variants in by_code.values():
                out.extend(str(v) for v in variants or [] if v)
    return out


def respondent_name_words(own: Iterable[str] = ()) -> frozenset[str]:
    """name_words of the registry's names and of `own` names (the respondents stored in a project, their län)."""
    return _registry_name_words() | name_words(n for n in own if n)


@functools.lru_cache(maxsize=1)
def _registry_name_words() -> frozenset[str]:
    return name_words(registry_names())


# ------------------------------------------------------------------ keyness

_WORD = re.compile(r"\w+")
MIN_KEYNESS = 1.64  # one-sided 5 %: the word is more frequent in the excerpts than chance lets it be
# A verb form ("följer", "beslutades", "infört") says what was done with the measure (the status column says that
# too), not what the measure is. A lemma used mostly in forms that can only be a verb (present "ingår", "pågår",
# "riktar", "erbjuds"; supine "utvecklats", "infört"; past passive "beslutades"; modals) is left out of the cloud
# (qa53 saw "ingår", "pågår", "riktar", "utvecklats" in it when it only weighed half). A lemma used mostly in forms
# that are also adjectives ("planerade hembesök", "utbildade undersköterskor", "införda arbetssätt") weighs this
# much of a noun's or adjective's weight.
VERB_WEIGHT = 0.5
_ONLY_VERB = frozenset({"pres", "pres_pass", "past_pass", "modal", "modal_pres", "modal_past"})


@dataclass(frozen=True)
class WordCounts:
    """Word counts by lemma, with the surface forms each lemma had."""

    lemmas: Mapping[str, int]
    forms: Mapping[str, Mapping[str, int]]

    @property
    def total(self) -> int:
        return sum(self.lemmas.values())


def _lemma(word: str) -> str:
    from nlp.lang_sv.lemmas import lemma  # the project's lemmatiser (its dictionary loads once per process)

    return lemma(word).lower()


def word_counts(texts: Iterable[str], leave_out: tuple[str, ...] = (),
                names: frozenset[str] = frozenset()) -> WordCounts:
    """Counts of the texts' cloud words by lemma: markup, `leave_out` words, undrawable words, stop words,
    numbers and words with a digit (a question's id, "5a" of "se fråga 5a") and `names` (see name_words) removed."""
    stop = set(SPACY_STOP_WORDS) | set(STOP_WORDS) | CLOUD_STOP | FILLER_WORDS | set(names)
    forms: dict[str, Counter] = {}
    surface = Counter(w for text in texts for w in _WORD.findall(cloud_text((text,), leave_out))
                      if len(w) > 1 and not any(ch.isdigit() for ch in w) and w not in stop)
    lemmas: Counter = Counter()
    for word, n in surface.items():
        key = _lemma(word)
        if key in stop:  # "dalarnas" -> a name, "finns" -> "finnas"
            continue
        lemmas[key] += n
        forms.setdefault(key, Counter())[word] += n
    return WordCounts(dict(lemmas), {k: dict(v) for k, v in forms.items()})


def _verb_shares(forms: Mapping[str, int], key: str) -> tuple[float, float]:
    """The shares of a lemma's occurrences that are forms only a verb has (present, supine in -t/-ts, past passive,
    modal) and that are any tensed or supine verb form (also "planerade", "införda", which are adjectives too), by
    nlp.verbforms' suffix rules; the lemma itself ("sjuksköterska", a noun in -a reads as an infinitive) counts as
    neither."""
    from nlp.verbforms import verb_form

    only = verbs = 0
    for form, n in forms.items():
        cls = (verb_form(form, key) or ("", "inf"))[1] if form != key else "inf"
        if cls == "inf":
            continue
        verbs += n
        if cls in _ONLY_VERB or (cls == "sup" and form.endswith(("t", "ts"))):
            only += n
    total = max(sum(forms.values()), 1)
    return only / total, verbs / total


def keyness(count: int, total: int, rest_count: int, rest_total: int) -> tuple[float, float]:
    """The smoothed log2-ratio of a word's rate in the excerpts against its rate in the rest of the answers, and
    that ratio over its standard error (a z score: small counts weigh little)."""
    ratio = math.log2(((count + 0.5) / (total + 0.5)) / ((rest_count + 0.5) / (rest_total + 0.5)))
    se = math.sqrt(1 / (count + 0.5) + 1 / (rest_count + 0.5)) / math.log(2)
    return ratio, ratio / se


def cloud_frequencies(texts: tuple[str, ...], leave_out: tuple[str, ...] = (),
                      background: WordCounts | None = None, names: frozenset[str] = frozenset(),
                      max_words: int = 80) -> dict[str, float]:
    """The words of a cloud with their weights (shown form -> weight).

    With `background` (word_counts of all answers of the project, the excerpts' answers among them) a word's
    weight is its keyness z score against the rest of the answers; only words clearly more frequent in the
    excerpts are kept. Without it, or when nothing stands out (the excerpts are nearly all the answers), the
    weight is the word's count. A lemma used mostly in forms only a verb has is left out; one used mostly in
    verb forms that are adjectives too weighs VERB_WEIGHT of that."""
    own = word_counts(texts, leave_out, names)
    if not own.lemmas:
        return {}
    weights: dict[str, float] = {}
    total = own.total
    if background is not None:
        rest_total = background.total - total
        if rest_total > 0:
            for key, n in own.lemmas.items():
                rest = max(background.lemmas.get(key, 0) - n, 0)
                ratio, z = keyness(n, total, rest, rest_total)
                if ratio > 0 and z >= MIN_KEYNESS:
                    weights[key] = z
    if not weights:
        weights = {key: float(n) for key, n in own.lemmas.items()}
    for key in list(weights):
        only, verbs = _verb_shares(own.forms[key], key)
        if only > 0.5:
            del weights[key]  # "ingår", "pågår", "utvecklats": what was done, not what the measure is
        elif verbs > 0.5:
            weights[key] *= VERB_WEIGHT
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:max_words]
    shown: dict[str, float] = {}
    for key, weight in top:
        form = max(own.forms[key].items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))[0]
        shown[form] = shown.get(form, 0.0) + weight
    return shown


def word_cloud_png(texts: tuple[str, ...], leave_out: tuple[str, ...] = (), background: WordCounts | None = None,
                   names: frozenset[str] = frozenset()) -> bytes | None:
    """A PNG word cloud of the texts' characteristic words (see cloud_frequencies), or None when none is left."""
    freqs = cloud_frequencies(texts, leave_out, background, names)
    if not freqs:
        return None
    cloud = WordCloud(width=900, height=360, background_color="white", colormap="viridis",
                      random_state=1).generate_from_frequencies(freqs)
    buf = io.BytesIO()
    cloud.to_image().save(buf, format="PNG")
    return buf.getvalue()

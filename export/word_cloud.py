"""Word clouds of excerpts: the words of a code left out, Swedish stop words removed, drawn as PNG bytes."""
from __future__ import annotations

import functools
import io
import re

from wordcloud import WordCloud
from wordcloud.wordcloud import FONT_PATH

from nlp.lang_sv.stop_words import STOP_WORDS

# Words every answer uses (who answers, generic verbs): they would dominate every cloud.
CLOUD_STOP = {
    "kommun", "kommunen", "kommuner", "kommunerna", "kommunernas", "region", "regionen", "regioner", "regionens",
    "län", "länet", "länets", "arbetar", "arbete", "arbetet", "gäller", "finns", "varje", "även", "också", "samt",
    "genom", "inom", "olika", "både", "bl.a", "t.ex", "mm",
}


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
    text = _TAG.sub(" ", _CODE_ELEMENT.sub(" ", " ".join(texts))).lower()
    return drawable_words(without_words(text, leave_out) if leave_out else text)


def word_cloud_png(texts: tuple[str, ...], leave_out: tuple[str, ...] = ()) -> bytes | None:
    """A PNG word cloud of the texts (Swedish stop words and `leave_out` words removed), or None when empty."""
    text = cloud_text(texts, leave_out)
    if not text.strip():
        return None
    try:
        cloud = WordCloud(width=900, height=360, background_color="white", stopwords=set(STOP_WORDS) | CLOUD_STOP,
                          collocations=False, colormap="viridis", random_state=1).generate(text)
    except ValueError:  # no words left after stop words
        return None
    buf = io.BytesIO()
    cloud.to_image().save(buf, format="PNG")
    return buf.getvalue()

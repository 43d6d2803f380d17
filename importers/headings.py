"""Question-heading detection shared by the Word, PDF and text readers.

Recognises "5a.", "5a.<tab>", "5 a)", "Fråga 8 a)", "Fråga 14:", "5A", "F5a", "Q5a", Markdown "## 5a ..."
and bold "**5a.**", with the question wording following the id. A heading is accepted
when it is unambiguous (a "Fråga" prefix, a heading style, the id alone, or the known
wording of that question follows) or when its id comes after the current question in
the form's order — so "1. Vi har ..." inside the answer to 5a is not a new question.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from importers.forms_compat import fold, questions_by_id

_HEAD = re.compile(
    r"""^\s*(?:\#{1,6}\s*)?(?:\*\*|__)?\s*
        (?P<prefix>fr[aå]ga\s*(?:nr\.?\s*)?)?
        (?P<short>[FfQq](?=\d))?
        (?P<num>\d{1,2})(?!\d)
        (?:\s?(?P<let>[a-hA-H])(?![A-Za-zÅÄÖåäö0-9]))?
        \s*(?:\*\*|__)?
        (?P<sep>[.):]\s*|\t|\s+|$)
        (?P<rest>.*)$""",
    re.X | re.S | re.I,
)


@dataclass(frozen=True)
class Heading:
    """A detected question heading: normalised id and the wording after it."""

    qid: str
    rest: str
    strong: bool


def compact(text: str) -> str:
    """Letters and digits only, lower case: robust to wrapping and hyphenation."""
    return re.sub(r"[\W_]+", "", fold(text))


def order_key(qid: str) -> tuple[int, str]:
    digits = "".join(ch for ch in qid if ch.isdigit())
    return (int(digits) if digits else 10_000, qid[len(digits):])


@lru_cache(maxsize=512)
def compact_wordings(qid: str) -> tuple[str, ...]:
    """Compacted wordings of question `qid` in every known form."""
    return tuple(compact(q.text) for q in questions_by_id().get(qid, ()))


def wording_matches(qid: str, text: str) -> bool:
    """True when `text` is (the start of, or a long piece of) a known wording of question `qid`."""
    c = compact(text[:400])
    if not c:
        return False
    for w in compact_wordings(qid):
        if w.startswith(c[:40]) or (len(c) >= 20 and c[:60] in w):
            return True
    return False


@lru_cache(maxsize=512)
def _wording_words(qid: str) -> frozenset[str]:
    return frozenset(w for q in questions_by_id().get(qid, ()) for w in re.findall(r"\w+", fold(q.text)))


def abbreviates(qid: str, rest: str) -> bool:
    """True when `rest` is a shortened wording of question `qid`: a short line without a full stop that
    starts with the wording's first word and whose words (at least two of four letters or more) all occur
    in that question's wording ("Beskriv digitalisering" for 6); a word may be an inflection of the
    wording's ("digitaliseringen")."""
    if not rest or len(rest) > 100 or rest.rstrip().endswith("."):
        return False
    words = [w for w in re.findall(r"\w+", fold(rest)) if len(w) >= 3]
    if sum(len(w) >= 4 for w in words) < 2:
        return False
    firsts = {(re.findall(r"\w+", fold(q.text)) or [""])[0] for q in questions_by_id().get(qid, ())}
    if words[0] not in firsts:
        return False  # it starts as the question does ("Beskriv …"), not as a list item of an answer would
    known = _wording_words(qid)

    def found(w: str) -> bool:
        return w in known or (len(w) >= 6 and any(k[:6] == w[:6] and abs(len(k) - len(w)) <= 3 for k in known))

    return all(found(w) for w in words)


def detect(line: str, current: Optional[str], *, styled: bool = False, list_item: bool = False) -> Optional[Heading]:
    """Return the Heading that `line` starts, or None.

    `current` is the id of the question being read; `styled` says the line has a heading
    style (Word heading, Markdown '#'); `list_item` that it is a numbered/bulleted list item.
    """
    if not line or len(line) > 2000:
        return None
    m = _HEAD.match(line)
    if not m:
        return None
    num, let = m.group("num"), (m.group("let") or "").lower()
    qid = f"{int(num)}{let}"
    rest = m.group("rest").strip().strip("*_").strip()
    sep = (m.group("sep") or "").strip()
    known = questions_by_id()
    is_known = qid in known
    markdown = line.lstrip().startswith("#")
    # "5 Beskriv" with a plain space and no letter is too weak unless the wording matches.
    wording = is_known and (wording_matches(qid, rest) or abbreviates(qid, rest))
    if m.group("prefix") and m.group("prefix")[0] == "f" and not sep and rest and not wording and not styled:
        return None  # "… som beskrivs i svaret på / fråga 5a om …": a wrapped sentence naming a question
    strong = bool(m.group("prefix")) or styled or markdown or not rest or wording
    if int(num) == 0 or int(num) > 60:
        return None
    if not rest and not sep and not let and not m.group("prefix") and not styled and not markdown:
        return None  # a bare number ("5" in a table cell) is data, not a question id
    if strong:
        return Heading(qid, rest, True)
    if list_item:
        return None
    if not sep and not let and not m.group("sep").startswith("\t"):
        return None  # "2 kommuner har ..." is a sentence, not a heading
    if known and not is_known:
        return None
    if current is not None and order_key(qid) <= order_key(current):
        return None
    return Heading(qid, rest, False)


def looks_like_heading(line: str, current: Optional[str]) -> Optional[str]:
    """The id of a known question that a line not taken as a heading looks like the heading of: a number with
    its full stop or parenthesis ("5a. Beskriv de insatser …") followed by at least four words that start as
    that question's wording does ("Beskriv …"), yet out of the form's order and not in its wording. Such a line
    stays in the answer it stands in (an answer may list its own points), but the import report names it."""
    m = _HEAD.match(line)
    if not m or m.group("prefix") or not (m.group("sep") or "").strip():
        return None
    qid = f"{int(m.group('num'))}{(m.group('let') or '').lower()}"
    if qid == current or qid not in questions_by_id():
        return None
    words = re.findall(r"\w+", fold(m.group("rest")))
    firsts = {(re.findall(r"\w+", fold(q.text)) or [""])[0] for q in questions_by_id()[qid]}
    return qid if len(words) >= 4 and words[0] in firsts else None


# a sub-question's letter alone before its wording ("a) Beskriv …", "b. Om möjligt …")
_LETTER_LABEL = re.compile(r"^\s*\(?([a-hA-H])\s*[).]\s+")


def letter_label(line: str):
    """The match of a sub-question letter opening `line` ("a) ", "(b) ", "c. "), or None."""
    return _LETTER_LABEL.match(line)


def detect_by_wording(line: str, current: Optional[str]) -> Optional[Heading]:
    """A question paragraph WITHOUT its id (Word's automatic numbering keeps "1." out of the text).

    The line must be the beginning of a known question's wording (at least 30 letters). When
    several questions start alike ("Om möjligt, beskriv resultat ..."), the first one after the
    current question in form order wins. A sub-question's letter before the wording ("b) Om möjligt, …", its
    number standing in a merged table cell above) keeps only the questions of that letter.
    """
    letter = letter_label(line)
    c = compact(line[letter.end():600] if letter else line[:600])
    # a wrapped "b) Om möjligt, beskriv" right under 5a (a narrow column): the next letter of the same number
    sibling = None
    if letter and current and re.match(r"\d+", current):
        sibling = re.match(r"\d+", current).group(0) + letter.group(1).lower()
    if len(c) < 30 and not (sibling and len(c) >= 12):
        return None
    hits = sorted({qid for qid in questions_by_id() for w in compact_wordings(qid) if w.startswith(c[:200])},
                  key=order_key)
    if letter:  # "b) Om möjligt, beskriv …" (a table form's sub-question, its number in a merged cell above)
        hits = [q for q in hits if q[-1:] == letter.group(1).lower() and (len(c) >= 30 or q == sibling)]
    if not hits:
        return None
    after = [q for q in hits if current is None or order_key(q) > order_key(current)]
    return Heading((after or hits)[0], line[letter.end():] if letter else line, True)

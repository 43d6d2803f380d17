"""REFI-QDA exchange: .qdpx projects (export and import) and .qdc codebooks.

Export (`to_qdpx`): a zip with `project.qde` (QDA-XML 1.0, urn:QDA-XML:project:1.0) and
`sources/<guid>.txt`. Users (analysts, and "Svarsanalys" for the tagger and the sources),
CodeBook (categories as isCodable="false" parents of the codes; a fixed colour per code, one
hue per category), Variables (respondenttyp, län, kommunkod, fråga, respondent, and omgång
when answers record a round), Cases (one per respondent with its variable values and its
sources), one TextSource per answer (creatingUser/creationDateTime, the same variables as
values, since QualCoder and MAXQDA read them on sources) with a PlainTextSelection per coded
span and a Coding per code (user and date; suggestions as "Svarsanalys"; status and scope in a Note the
Coding refers to, as REFI-QDA has no element for them). GUIDs are uuid5 of
stable content keys, so the same project exported twice gives identical GUIDs (and bytes).
Offsets are Unicode code points over the LF-normalised text written to sources/.

Import (`import_qdpx`): reads such a file (ours or NVivo/ATLAS.ti/MAXQDA/QualCoder) into a
project: codes (matched by GUID or id marker, then by label, else added: never two codes
with one label), cases or source variables → respondents, text sources → new answers with
their codings (manual, origin "import", user and date kept), or, when a source's text equals
an answer already in the project, that answer's coder codings for the coding user (the
"other analyst" of double coding). Memos come from selection descriptions and Notes. A source's
round is its variable omgång, and it is matched only to an answer of that round.
"""
from __future__ import annotations

import colorsys
import copy
import dataclasses
import hashlib
import io
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Callable, Optional
from xml.sax.saxutils import escape, quoteattr

import config
from errors import SvarsanalysError
from export.safety import lf_normalise, mask_personal_data, mask_with_offsets, xml_safe
from export.selection import Selection, excerpts
from importers.errors import ImportFailure
from importers.safety import check_size, open_zip, parse_xml, read_member
from models import queries, views
from models.imported_rows import insert_imported_codings
from models.records import ParsedFile, RawAnswer, Respondent
from reference import registry

NS_PROJECT = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
# Namespace of every Svarsanalys GUID (uuid5); never change it, GUIDs must stay stable.
GUID_NAMESPACE = uuid.UUID("6f1c2a4e-9d0b-5c3e-8a7f-2b4d6e8f0a1c")
VARIABLES = (("respondenttyp", "Respondenttyp: region, kommun eller RSS"), ("län", "Län"),
             ("kommunkod", "Kommunkod (fyra siffror)"), ("fråga", "Frågans id i formuläret"),
             ("respondent", "Respondentens namn (region, kommun eller länets kommuner)"))
ROUND_VARIABLE = ("omgång", "Uppföljningsomgång")
# Base hues (0–1) of the categories, in codebook order; a category's codes are shades of its hue.
CATEGORY_HUES = (0.0, 0.58, 0.33, 0.08, 0.75, 0.5, 0.92, 0.15, 0.66, 0.42)
ZIP_DATE = (2020, 1, 1, 0, 0, 0)
ORIGIN = "Svarsanalys"
# A coding's status and scope have no REFI-QDA element: they go in a Note the Coding refers to (NoteRef), one
# line each, so other tools show them as the coding's memo and an import into Svarsanalys reads them back.
STATUS_NOTE = "Status och omfattning (Svarsanalys)"
_STATUS_LINE = re.compile(r"^Status: *(.+?) *$", re.MULTILINE)
_SCOPE_LINE = re.compile(r"^Omfattning: *(.+?) *$", re.MULTILINE)


def guid(kind: str, *parts: object) -> str:
    """A stable GUID for an entity: uuid5 of its kind and content key."""
    key = "|".join([kind, *(str(p) for p in parts)])
    return str(uuid.uuid5(GUID_NAMESPACE, key))


def code_guid(code_id: str) -> str:
    return guid("code", code_id)


def category_guid(category_id: str) -> str:
    return guid("category", category_id)


def _a(value: object) -> str:
    """An XML attribute value (quoted, escaped, XML-safe)."""
    return quoteattr(xml_safe("" if value is None else str(value)))


def _e(value: object) -> str:
    return escape(xml_safe("" if value is None else str(value)))


def _xml_datetime(value: Optional[str]) -> Optional[str]:
    """ISO datetime for xsd:dateTime, or None when it cannot be parsed."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ------------------------------------------------------------------ codebook XML
def _rgb(hue: float, lightness: float, saturation: float = 0.65) -> str:

    r, g, b = colorsys.hls_to_rgb(hue % 1.0, lightness, saturation)
    return "#{:02X}{:02X}{:02X}".format(round(r * 255), round(g * 255), round(b * 255))


def code_colours(doc: dict, extra_codes: Optional[dict] = None) -> dict[str, str]:
    """A fixed colour (#RRGGBB) per category and code: each category its own hue, its codes shades of it.

    Keys are category ids and code ids; codes outside the codebook are grey. The same codebook
    always gives the same colours.
    """
    out: dict[str, str] = {}
    for i, cat in enumerate(doc.get("categories") or []):
        hue = CATEGORY_HUES[i % len(CATEGORY_HUES)] + 0.03 * (i // len(CATEGORY_HUES))
        out[cat.get("id", "")] = _rgb(hue, 0.35)
        codes = cat.get("codes") or []
        for j, code in enumerate(codes):
            lightness = 0.4 + 0.3 * (j / max(1, len(codes) - 1)) if len(codes) > 1 else 0.5
            out.setdefault(code.get("id", ""), _rgb(hue, lightness))
    for code_id in extra_codes or {}:
        out.setdefault(code_id, "#808080")
    return out


def _code_names(doc: dict, extra_codes: dict[str, str]) -> dict[str, str]:
    """A unique name per code (QualCoder merges codes that share a name and drops codings).

    A code whose label another code already has (an older project) gets its id appended.
    """
    names: dict[str, str] = {}
    seen: set[str] = set()
    items = [(c.get("id", ""), c.get("label") or c.get("id") or "")
             for cat in doc.get("categories") or [] for c in cat.get("codes") or []]
    for code_id, label in [*items, *extra_codes.items()]:
        name = str(label)
        if label_key(name) in seen:
            name = f"{name} ({code_id})"
        seen.add(label_key(name))
        names[code_id] = name
    return names


def _codes_xml(doc: dict, extra_codes: dict[str, str], indent: str = "    ") -> list[str]:
    out = [f"{indent}<Codes>"]
    colours = code_colours(doc, extra_codes)
    names = _code_names(doc, extra_codes)
    for cat in doc.get("categories") or []:
        codes = cat.get("codes") or []
        out.append(f"{indent}  <Code guid=\"{category_guid(cat.get('id', ''))}\" name={_a(cat.get('label') or cat.get('id'))}"
                   f" isCodable=\"false\" color=\"{colours[cat.get('id', '')]}\">")
        out.append(f"{indent}    <Description>{_e(_with_id(cat.get('description'), cat.get('id', '')))}</Description>")
        for code in codes:
            out.append(f"{indent}    <Code guid=\"{code_guid(code.get('id', ''))}\" "
                       f"name={_a(names.get(code.get('id', '')))} isCodable=\"true\" "
                       f"color=\"{colours.get(code.get('id', ''), '#808080')}\">")
            out.append(f"{indent}      <Description>{_e(_with_id(code.get('definition'), code.get('id', '')))}</Description>")
            out.append(f"{indent}    </Code>")
        out.append(f"{indent}  </Code>")
    for code_id in extra_codes:
        out.append(f"{indent}  <Code guid=\"{code_guid(code_id)}\" name={_a(names[code_id])} isCodable=\"true\" "
                   f"color=\"{colours[code_id]}\">")
        out.append(f"{indent}    <Description>{_e(f'[id: {code_id}]')}</Description>")
        out.append(f"{indent}  </Code>")
    out.append(f"{indent}</Codes>")
    return out


def _with_id(text: object, item_id: str) -> str:
    """A definition/description with the stable id appended, so an import can recover it."""
    body = str(text or "").strip()
    return (body + "\n\n" if body else "") + f"[id: {item_id}]"


def to_qdc(doc: dict) -> bytes:
    """A codebook document as a REFI-QDA codebook (.qdc, urn:QDA-XML:codebook:1.0)."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<CodeBook xmlns="{NS_CODEBOOK}" origin="{ORIGIN}">']
    lines += _codes_xml(doc, {}, indent="  ")
    lines.append("</CodeBook>")
    return ("\n".join(lines) + "\n").encode("utf-8")


# ------------------------------------------------------------------ project export
@dataclass
class _Source:
    guid: str
    name: str
    text: str
    question: str
    question_text: str
    respondent_id: int
    selections: dict = field(default_factory=dict)  # (start, end) -> list of coding rows
    choice: str = ""
    created: Optional[str] = None  # xsd:dateTime of the answer's import
    round_label: Optional[str] = None


def to_qdpx(store, selection: Optional[Selection] = None, *, answer_ids: Optional[set[int]] = None,
            with_codings: bool = True, with_coders: bool = False) -> bytes:
    """The project (answers of the selection, its accepted and manual codings) as a .qdpx zip.

    `answer_ids` limits the sources to those answers; `with_codings=False` leaves the project's
    codings out (a double-coding sample to be coded blind in another QDA tool); `with_coders`
    adds every analyst's own codings as that user's codings (for NVivo's coding comparison or
    MAXQDA's intercoder agreement).
    """
    sel = selection or Selection()
    doc = views.codebook_doc(store)
    df = excerpts(store, Selection(**{**sel.__dict__, "mask_personal_data": False}))
    if not with_codings:
        df = df.iloc[0:0]
    answers = store.answer_frame()
    if answer_ids is not None:
        answers = answers[answers["answer_id"].isin(list(answer_ids))]
    if sel.respondent_ids is not None:
        answers = answers[answers["respondent_id"].isin(list(sel.respondent_ids))]
    if sel.questions is not None:
        answers = answers[answers["question"].isin(list(sel.questions))]
    if sel.lans is not None:
        answers = answers[answers["lan"].isin(list(sel.lans))]
    if sel.respondent_types is not None:
        answers = answers[answers["respondent_type"].isin(list(sel.respondent_types))]
    answers = answers[answers["text"].fillna("").str.strip() != ""]
    respondents = {r.id: r for r in store.respondents()}
    origins = store.answer_origins()
    qtexts = {q.id: q.text for q in store.questions()}
    cb_questions = doc.get("questions") or {}

    sources: dict[int, _Source] = {}
    mappers = {}
    for row in answers.itertuples(index=False):
        resp = respondents[row.respondent_id]
        text, to_lf = lf_normalise(row.text)
        if sel.mask_personal_data:
            text, to_masked = mask_with_offsets(text)
            mapper = (lambda f, g: (lambda i: g(f(i))))(to_lf, to_masked)
        else:
            mapper = to_lf
        key_text = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        qtext = qtexts.get(row.question) or str(cb_questions.get(row.question, "") or "")
        imported_at, round_label = origins.get(int(row.answer_id), (None, None))
        # the round is part of the key: one respondent may give one question the same text in two rounds
        # (without a round the GUID is what it always was)
        sguid = guid("source", resp.name, resp.type, row.question, row.position, key_text,
                     *((round_label,) if round_label else ()))
        sources[row.answer_id] = _Source(sguid, f"{resp.name} – fråga {row.question}", text, row.question,
                                         qtext, row.respondent_id,
                                         choice=row.choice if isinstance(row.choice, str) else "",
                                         created=_xml_datetime(imported_at), round_label=round_label)
        mappers[row.answer_id] = mapper

    users: dict[str, str] = {ORIGIN: guid("user", ORIGIN)}
    code_labels: dict[str, str] = {}
    for row in df.itertuples(index=False):
        src = sources.get(row.answer_id)
        if src is None:
            continue
        f = mappers[row.answer_id]
        start, end = f(int(row.start)), f(int(row.end))
        if end <= start:
            continue
        analyst = row.analyst or ORIGIN
        users.setdefault(analyst, guid("user", analyst))
        src.selections.setdefault((start, end), []).append(row)
        code_labels[row.code_id] = row.code_label
    if with_coders:

        labels = {c.get("id"): c.get("label") for cat in doc.get("categories") or [] for c in cat.get("codes") or []}
        for cc in store.coder_codings(answer_ids=list(sources)):
            src = sources[cc["answer_id"]]
            f = mappers[cc["answer_id"]]
            start, end = f(int(cc["start"])), f(int(cc["end"]))
            if end <= start:
                continue
            users.setdefault(cc["coder"], guid("user", cc["coder"]))
            row = SimpleNamespace(code_id=cc["code_id"], code_label=labels.get(cc["code_id"]) or cc["code_id"],
                                  analyst=cc["coder"], decided_at=cc["created_at"],
                                  memo=store.memo("coder_coding", cc["id"]), coder_row=True)
            src.selections.setdefault((start, end), []).append(row)
            code_labels[row.code_id] = row.code_label
    known = {c.get("id") for cat in doc.get("categories") or [] for c in cat.get("codes") or []}
    extra = {c: l for c, l in sorted(code_labels.items()) if c not in known}

    created = _xml_datetime(store.meta("created_at"))
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<Project xmlns="{NS_PROJECT}" name={_a(store.name)} origin="{ORIGIN}" '
             f'creatingUserGUID="{users[ORIGIN]}"' + (f' creationDateTime="{created}"' if created else "") + ">"]
    lines.append("  <Users>")
    for name, ug in sorted(users.items(), key=lambda kv: kv[1]):
        lines.append(f"    <User guid=\"{ug}\" name={_a(name)}/>")
    lines.append("  </Users>")
    lines.append("  <CodeBook>")
    lines += _codes_xml(doc, extra)
    lines.append("  </CodeBook>")
    with_round = any(src.round_label for src in sources.values())
    lines.append("  <Variables>")
    for name, description in VARIABLES + ((ROUND_VARIABLE,) if with_round else ()):
        lines.append(f"    <Variable guid=\"{guid('variable', name)}\" name={_a(name)} typeOfVariable=\"Text\">")
        lines.append(f"      <Description>{_e(description)}</Description>")
        lines.append("    </Variable>")
    lines.append("  </Variables>")

    by_resp: dict[int, list[_Source]] = {}
    for src in sources.values():
        by_resp.setdefault(src.respondent_id, []).append(src)
    if by_resp:
        lines.append("  <Cases>")
        for rid in sorted(by_resp, key=lambda r: views.sv_key(respondents[r].name)):
            resp = respondents[rid]
            lines.append(f"    <Case guid=\"{guid('case', resp.name, resp.type)}\" name={_a(resp.name)}>")
            values = {"respondenttyp": resp.type or "", "län": resp.lan or "", "kommunkod": resp.kommun_code or ""}
            for name, value in values.items():
                lines.append(f"      <VariableValue><VariableRef targetGUID=\"{guid('variable', name)}\"/>"
                             f"<TextValue>{_e(value)}</TextValue></VariableValue>")
            for src in sorted(by_resp[rid], key=lambda s: s.guid):
                lines.append(f"      <SourceRef targetGUID=\"{src.guid}\"/>")
            lines.append("    </Case>")
        lines.append("  </Cases>")

    files: dict[str, bytes] = {}
    status_notes: list[tuple[str, str, str, Optional[str]]] = []  # (note guid, text, user guid, when)
    if sources:
        lines.append("  <Sources>")
        for answer_id in sorted(sources, key=lambda a: sources[a].guid):
            src = sources[answer_id]
            path = f"{src.guid}.txt"
            files[f"sources/{path}"] = src.text.encode("utf-8")
            when = src.created or created
            lines.append(f"    <TextSource guid=\"{src.guid}\" name={_a(src.name)} "
                         f"plainTextPath=\"internal://{path}\" creatingUser=\"{users[ORIGIN]}\""
                         + (f" creationDateTime=\"{when}\"" if when else "") + ">")
            desc = f"Fråga {src.question}" + (f": {src.question_text}" if src.question_text else "")
            if src.choice:
                desc += f"\nSvarsalternativ: {src.choice}"
            lines.append(f"      <Description>{_e(desc)}</Description>")
            for (start, end), rows in sorted(src.selections.items()):
                first = rows[0]
                sel_guid = guid("selection", src.guid, start, end)
                attrs = (f"guid=\"{sel_guid}\" name={_a(_short(src.text[start:end]))} startPosition=\"{start}\" "
                         f"endPosition=\"{end}\" creatingUser=\"{users[first.analyst or ORIGIN]}\"")
                when = _xml_datetime(first.decided_at) or src.created or created
                if when:
                    attrs += f" creationDateTime=\"{when}\""
                lines.append(f"      <PlainTextSelection {attrs}>")
                memos = [r.memo for r in rows if r.memo]
                if sel.mask_personal_data:
                    memos = [mask_personal_data(m) for m in memos]
                if memos:
                    lines.append(f"        <Description>{_e(' / '.join(memos))}</Description>")
                for r in sorted(rows, key=lambda r: (r.code_id, r.analyst or "")):
                    key = (src.guid, start, end, r.code_id) + ((r.analyst,) if getattr(r, "coder_row", False) else ())
                    cattrs = (f"guid=\"{guid('coding', *key)}\" "
                              f"creatingUser=\"{users[r.analyst or ORIGIN]}\"")
                    when = _xml_datetime(r.decided_at) or src.created or created
                    if when:
                        cattrs += f" creationDateTime=\"{when}\""
                    note = "" if getattr(r, "coder_row", False) else _status_note(r)
                    if note:
                        note_guid = guid("note", *key)
                        status_notes.append((note_guid, note, users[r.analyst or ORIGIN], when))
                        note = f"<NoteRef targetGUID=\"{note_guid}\"/>"
                    lines.append(f"        <Coding {cattrs}><CodeRef targetGUID=\"{code_guid(r.code_id)}\"/>{note}"
                                 "</Coding>")
                lines.append("      </PlainTextSelection>")
            resp = respondents[src.respondent_id]
            values = {"respondent": resp.name, "respondenttyp": resp.type or "", "län": resp.lan or "",
                      "kommunkod": resp.kommun_code or "", "fråga": src.question}
            if with_round:
                values[ROUND_VARIABLE[0]] = src.round_label or ""
            for name, value in values.items():
                lines.append(f"      <VariableValue><VariableRef targetGUID=\"{guid('variable', name)}\"/>"
                             f"<TextValue>{_e(value)}</TextValue></VariableValue>")
            lines.append("    </TextSource>")
        lines.append("  </Sources>")
    if status_notes:
        lines.append("  <Notes>")
        for note_guid, text, user, when in status_notes:
            lines.append(f"    <Note guid=\"{note_guid}\" name={_a(STATUS_NOTE)} creatingUser=\"{user}\""
                         + (f" creationDateTime=\"{when}\"" if when else "") + ">")
            lines.append(f"      <PlainTextContent>{_e(text)}</PlainTextContent>")
            lines.append("    </Note>")
        lines.append("  </Notes>")
    lines.append("</Project>")
    project = ("\n".join(lines) + "\n").encode("utf-8")

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in [("project.qde", project), *sorted(files.items())]:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def _status_note(row) -> str:
    """The text of a coding's status-and-scope note ('' when both are unknown, the default on import)."""
    status, scope = str(getattr(row, "status", "") or "okänd"), str(getattr(row, "scope", "") or "okänd")
    if status == "okänd" and scope == "okänd":
        return ""
    return f"Status: {status}\nOmfattning: {scope}"


def _status_of_note(text: str) -> tuple[str, str]:
    """(status, scope) written by `_status_note`; a missing or over-long value reads as 'okänd'."""
    def value(m) -> str:
        v = " ".join(m.group(1).split()) if m else ""
        return v if 0 < len(v) <= 40 else "okänd"

    return value(_STATUS_LINE.search(text or "")), value(_SCOPE_LINE.search(text or ""))


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# ------------------------------------------------------------------ import
class RefiError(SvarsanalysError):
    """A REFI-QDA file that cannot be read; the message is Swedish and names the file."""


@dataclass
class QdpxImport:
    """What importing a .qdpx did."""

    file_name: str
    status: str = "imported"  # "imported" | "unchanged"
    answers: int = 0  # new answers
    codings: int = 0  # codings stored on the new answers
    suggestions: int = 0  # of them: the exporting project's unreviewed suggestions, stored as suggestions
    respondents: int = 0
    new_codes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    matched: int = 0  # sources matched by text to answers already in the project
    coder_codings: int = 0  # codings stored as the coding users' own codings on matched answers
    matched_suggestions: int = 0  # the exporting project's suggestions on matched answers: not taken (nobody's coding)
    coders: list[str] = field(default_factory=list)
    in_file: int = 0  # text sources in the file
    rounds: dict[str, int] = field(default_factory=dict)  # round the file states -> new answers stored in it

    @property
    def sources(self) -> int:
        """Text sources imported: new answers plus answers matched by text."""
        return self.answers + self.matched

    @property
    def message(self) -> str:
        if self.status == "unchanged":
            return f"{self.file_name}: redan importerad, inget ändrat."
        text = (f"{self.file_name}: {self.sources} svar ({self.answers} nya svar från {self.respondents} "
                f"respondenter med {self.codings} kodningar; {self.matched} befintliga svar matchade på texten")
        if self.matched:
            text += (f", där {self.coder_codings} kodningar sparades som kodarnas egna kodningar"
                     + (f" ({', '.join(self.coders)})" if self.coders else ""))
        text += ")"
        if self.matched_suggestions:
            text += f"; {matched_suggestions_sv(self.matched_suggestions)}"
        if self.new_codes:
            text += f"; {len(self.new_codes)} nya koder i kodboken"
        return text + "."


def matched_suggestions_sv(n: int) -> str:
    """Why the exporting project's suggestions on answers already here were not taken (Swedish)."""
    return (f"{n} förslag som inte granskats i det exporterade projektet låg på svar som redan finns här och togs "
            "inte med (ett förslag är ingen kodares kodning; svaren har projektets egna förslag)")


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el, name: str) -> list:
    return [c for c in el if _local(c.tag) == name]


def _child(el, name: str):
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _norm_guid(value: Optional[str]) -> str:
    return (value or "").strip().strip("{}").lower()


_ID_IN_DESCRIPTION = re.compile(r"\[id:\s*([A-Za-z0-9_\-]+)\]\s*$")


def slug(label: str) -> str:
    """A code id from a label: ascii, lower-case, underscores ("Mobila team" -> "mobila_team")."""
    text = unicodedata.normalize("NFKD", label.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    return text or "kod"


@dataclass
class _ParsedCode:
    guid: str
    id: str
    label: str
    definition: str
    category_id: str
    category_label: str


def label_key(label: object) -> str:
    """A label compared case- and whitespace-insensitively ("Mobila  Team" == "mobila team")."""
    return " ".join(str(label or "").split()).casefold()


def _parse_codes(codes_el, base_doc: dict, warnings: Optional[list[str]] = None
                 ) -> tuple[list[_ParsedCode], list[dict]]:
    """Codes of a <Codes> element mapped to ids: by our GUIDs or an [id: ...] marker of a known code,
    then by label (case- and whitespace-insensitive), then a new id (a marker's or a slug).

    A label never ends up on two codes: a code whose label is already taken joins that code.

    Top-level codes with children become categories (their descendants their codes);
    childless top-level codes go to the category "Importerade koder".
    """
    known_by_guid = {}
    for cat in base_doc.get("categories") or []:
        for c in cat.get("codes") or []:
            known_by_guid[code_guid(c.get("id", ""))] = c.get("id")
    taken = {c.get("id") for cat in base_doc.get("categories") or [] for c in cat.get("codes") or []}
    by_label = {label_key(c.get("label") or c.get("id")): c.get("id")
                for cat in base_doc.get("categories") or [] for c in cat.get("codes") or []}
    parsed: list[_ParsedCode] = []
    categories: list[dict] = []

    def code_id_for(el, label: str) -> str:
        g = _norm_guid(el.get("guid"))
        desc = _child(el, "Description")
        m = _ID_IN_DESCRIPTION.search((desc.text or "") if desc is not None else "")
        if g in known_by_guid:
            cid = known_by_guid[g]
        elif m and m.group(1) in taken and m.group(1) in by_label.values():
            cid = m.group(1)
        elif label_key(label) in by_label:
            cid = by_label[label_key(label)]
            if any(p.id == cid for p in parsed) and warnings is not None:
                warnings.append(f"koden \"{label}\" finns två gånger i filen; kodningarna slogs ihop under en kod.")
        elif m and m.group(1) not in taken:
            cid = m.group(1)
        else:
            base, n, cid = slug(label), 2, slug(label)
            while cid in taken:
                cid, n = f"{base}_{n}", n + 1
        by_label.setdefault(label_key(label), cid)
        return cid

    def definition_of(el) -> str:
        desc = _child(el, "Description")
        text = (desc.text or "") if desc is not None else ""
        return _ID_IN_DESCRIPTION.sub("", text).strip()

    def walk(el, cat_id: str, cat_label: str) -> None:
        for child in _children(el, "Code"):
            label = (child.get("name") or "").strip() or "namnlös kod"
            if child.get("isCodable", "true").strip().lower() in ("true", "1"):
                cid = code_id_for(child, label)
                taken.add(cid)
                parsed.append(_ParsedCode(_norm_guid(child.get("guid")), cid, label, definition_of(child),
                                          cat_id, cat_label))
            walk(child, cat_id, cat_label)

    for top in _children(codes_el, "Code") if codes_el is not None else []:
        label = (top.get("name") or "").strip() or "namnlös kategori"
        codable = top.get("isCodable", "true").strip().lower() in ("true", "1")
        has_children = bool(_children(top, "Code"))
        if has_children:
            g = _norm_guid(top.get("guid"))
            desc = _child(top, "Description")
            marker = _ID_IN_DESCRIPTION.search((desc.text or "") if desc is not None else "")
            cat_id = next((c.get("id") for c in base_doc.get("categories") or []
                           if category_guid(c.get("id", "")) == g), None) or (
                marker.group(1) if marker else slug(label))
            categories.append({"id": cat_id, "label": label, "description": definition_of(top)})
            if codable:
                cid = code_id_for(top, label)
                taken.add(cid)
                parsed.append(_ParsedCode(g, cid, label, definition_of(top), cat_id, label))
            walk(top, cat_id, label)
        elif codable:
            cid = code_id_for(top, label)
            taken.add(cid)
            parsed.append(_ParsedCode(_norm_guid(top.get("guid")), cid, label, definition_of(top),
                                      "importerade_koder", "Importerade koder"))
    return parsed, categories


def merge_codes(base_doc: dict, codes: list[_ParsedCode], categories: list[dict],
                *, update_labels: bool = False) -> tuple[dict, list[str]]:
    """The base codebook with the imported codes added (existing codes keep their keywords).

    Returns (new doc, ids of the codes that were added).
    """

    doc = copy.deepcopy(base_doc) if base_doc else {"name": "importerad", "version": 1, "categories": []}
    doc.setdefault("categories", [])
    cats = {c.get("id"): c for c in doc["categories"]}
    existing = {code.get("id"): code for c in doc["categories"] for code in c.get("codes") or []}
    cat_info = {c["id"]: c for c in categories}
    added = []
    for pc in codes:
        if pc.id in existing:
            clash = any(label_key(c.get("label")) == label_key(pc.label) and i != pc.id for i, c in existing.items())
            if update_labels and not clash:
                existing[pc.id]["label"] = pc.label
                if pc.definition:
                    existing[pc.id]["definition"] = pc.definition
            continue
        cat = cats.get(pc.category_id)
        if cat is None:
            info = cat_info.get(pc.category_id, {"id": pc.category_id, "label": pc.category_label})
            cat = {"id": pc.category_id, "label": info.get("label") or pc.category_label,
                   "description": info.get("description", ""), "codes": []}
            doc["categories"].append(cat)
            cats[pc.category_id] = cat
        code = {"id": pc.id, "label": pc.label, "definition": pc.definition, "keywords": []}
        cat.setdefault("codes", []).append(code)
        existing[pc.id] = code
        added.append(pc.id)
    return doc, added


def from_qdc(data: bytes, base_doc: Optional[dict] = None, *, file_name: str = "kodboken.qdc") -> dict:
    """A REFI-QDA codebook (.qdc, or the CodeBook of a .qde) merged into `base_doc`.

    Codes matching an existing code (our GUID or [id: ...] marker) update its label and
    definition and keep its keywords; other codes are added without keywords.
    """

    try:
        root = parse_xml(file_name, data)
    except ImportFailure as exc:
        raise RefiError(str(exc)) from exc
    codes_el = _child(root, "Codes") if _local(root.tag) == "CodeBook" else None
    if codes_el is None and _local(root.tag) == "Project":
        book = _child(root, "CodeBook")
        codes_el = _child(book, "Codes") if book is not None else None
    if codes_el is None:
        raise RefiError(f"{file_name}: ingen REFI-QDA-kodbok (elementet CodeBook/Codes saknas).")
    base = base_doc if base_doc is not None else {"name": "importerad", "version": 1, "categories": []}
    codes, categories = _parse_codes(codes_el, base)
    if not codes:
        raise RefiError(f"{file_name}: kodboken innehåller inga kodbara koder.")
    doc, _ = merge_codes(base, codes, categories, update_labels=True)
    return doc


def _read_source_text(name: str, zf: zipfile.ZipFile, el, warnings: list[str],
                      members: dict[str, str]) -> Optional[str]:
    """The text of a TextSource: inline PlainTextContent or its internal:// file (`members`: lower → name)."""

    content = _child(el, "PlainTextContent")
    if content is not None and content.text is not None:
        return content.text
    path = el.get("plainTextPath") or ""
    if path.startswith("internal://"):
        member = "sources/" + path[len("internal://"):]
        real = members.get(member.lower())
        if real is None:
            warnings.append(f"källan {el.get('name') or el.get('guid')} saknar sin textfil ({member}); hoppades över.")
            return None
        raw = read_member(name, zf, real)
        for enc in ("utf-8-sig", "utf-16"):
            try:
                return raw.decode(enc)
            except UnicodeDecodeError:
                continue
        warnings.append(f"källan {el.get('name')} är inte UTF-8-text; hoppades över.")
        return None
    warnings.append(f"källan {el.get('name') or el.get('guid')} pekar på en fil utanför projektet ({path or 'ingen sökväg'}); "
                    "hoppades över.")
    return None


@dataclass
class _PendingSource:
    """A text source read from a .qdpx, before it is matched to an answer or stored as a new one."""

    raw: object  # RawAnswer
    text: str  # LF text the selections' offsets refer to
    codings: list = field(default_factory=list)  # (start, end, code_id, who, when, memo, status, scope)
    memo: str = ""  # the source's own notes (NoteRef on the TextSource)


def _text_key(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _lf_to_original(original: str, source: str) -> Callable[[int], int]:
    """Map offsets over `source` (LF text, equal to `original` up to line ends and surrounding
    whitespace) to offsets in `original`."""
    positions: list[int] = []
    i = 0
    while i < len(original):
        positions.append(i)
        i += 2 if original.startswith("\r\n", i) else 1
    positions.append(len(original))
    lf = original.replace("\r\n", "\n").replace("\r", "\n")
    lead = (len(lf) - len(lf.lstrip())) - (len(source) - len(source.lstrip()))

    def to_original(k: int) -> int:
        k = min(max(0, k + lead), len(positions) - 1)
        return positions[k]

    return to_original


def import_qdpx(store, data: bytes, *, file_name: str = "projekt.qdpx", analyst: str = "import",
                round_label: Optional[str] = None) -> QdpxImport:
    """Import a .qdpx file into the project: codes, cases, text sources, their codings and memos.

    A source whose text equals an answer already in the project is matched to that answer,
    and its codings become the coding user's own codings (`coder_codings`, for the
    Överensstämmelse page and `cli.py agreement --db`). Other sources become new answers whose
    codings are stored as manual codings (origin "import") with the file's user and date.
    Raises `RefiError` (Swedish message naming the file) for unreadable or hostile files.
    Importing the same bytes twice changes nothing.

    Rounds: a source with the variable omgång (a Svarsanalys export of a project with rounds) is in that
    round, and is matched only to an answer of that round; other sources go to `round_label` (None: no round).
    A coding's status and scope come back from the note a Svarsanalys export attaches to it.
    """
    from models.rounds import label_problem, normalise_label


    try:
        check_size(file_name, len(data))
        zf = open_zip(file_name, data, "REFI-QDA-projekt (.qdpx)")
        members = {i.filename.lower(): i.filename for i in zf.infolist()}
        if "project.qde" not in members:
            raise RefiError(f"{file_name}: filen saknar project.qde och är inget REFI-QDA-projekt.")
        root = parse_xml(file_name, read_member(file_name, zf, members["project.qde"]), "project.qde")
    except ImportFailure as exc:
        raise RefiError(str(exc)) from exc
    if _local(root.tag) != "Project":
        raise RefiError(f"{file_name}: project.qde är inget REFI-QDA-projekt (rotelementet är {_local(root.tag)}).")
    result = QdpxImport(file_name)
    sha = hashlib.sha256(data).hexdigest()

    users = {_norm_guid(u.get("guid")): (u.get("name") or u.get("id") or analyst)
             for u in _children(_child(root, "Users") if _child(root, "Users") is not None else root, "User")}
    base_doc = views.codebook_doc(store)
    book = _child(root, "CodeBook")
    codes, categories = _parse_codes(_child(book, "Codes") if book is not None else None, base_doc,
                                     result.warnings)
    code_by_guid = {c.guid: c for c in codes}
    notes = _notes(root)

    def status_scope(coding) -> tuple[str, str]:
        """A coding's status and scope from the notes it refers to ('okänd' when none says)."""
        for ref in _children(coding, "NoteRef"):
            text = notes.get(_norm_guid(ref.get("targetGUID")), "")
            if _STATUS_LINE.search(text) or _SCOPE_LINE.search(text):
                return _status_of_note(text)
        return ("okänd", "okänd")

    variables = {}
    vars_el = _child(root, "Variables")
    for v in _children(vars_el, "Variable") if vars_el is not None else []:
        variables[_norm_guid(v.get("guid"))] = (v.get("name") or "").strip().lower()

    def var_values(el) -> dict[str, str]:
        out = {}
        for vv in _children(el, "VariableValue"):
            ref = _child(vv, "VariableRef")
            name = variables.get(_norm_guid(ref.get("targetGUID") if ref is not None else ""), "")
            for c in vv:
                if _local(c.tag).endswith("Value") and _local(c.tag) != "VariableValue" and c.text is not None:
                    out[name] = c.text.strip()
        return out

    source_case: dict[str, tuple[str, dict]] = {}
    cases_el = _child(root, "Cases")
    for case in _children(cases_el, "Case") if cases_el is not None else []:
        name = (case.get("name") or "").strip() or "namnlöst fall"
        values = var_values(case)
        for ref in _children(case, "SourceRef"):
            source_case[_norm_guid(ref.get("targetGUID"))] = (name, values)

    pending: list[_PendingSource] = []
    respondents: dict[str, Respondent] = {}
    sources_el = _child(root, "Sources")
    text_sources = _children(sources_el, "TextSource") if sources_el is not None else []
    if sources_el is not None and len(text_sources) < len(list(sources_el)):
        result.warnings.append("bild-, ljud-, video- och PDF-källor importeras inte; bara textkällor.")
    for src in text_sources:
        try:
            text = _read_source_text(file_name, zf, src, result.warnings, members)
        except ImportFailure as exc:
            raise RefiError(str(exc)) from exc
        if text is None:
            continue
        if len(text) > config.MAX_CELL_CHARS:
            result.warnings.append(f"källan {src.get('name')} är längre än {config.MAX_CELL_CHARS} tecken; hoppades över.")
            continue
        # REFI-QDA positions count the code points of the file as written (a CRLF is two); we keep
        # LF text and move the positions with it
        text, to_lf = lf_normalise(text.lstrip("\ufeff"))
        sguid = _norm_guid(src.get("guid"))
        case_name, case_values = source_case.get(sguid, (None, {}))
        values = {**var_values(src), **case_values}
        resp_name = (case_name or values.get("respondent") or src.get("name") or "okänd källa").strip()
        question = values.get("fråga") or values.get("fraga") or _question_from(src) or "importerad"
        stated_round = None
        if "omgång" in values or "omgang" in values:
            stated_round = normalise_label(values.get("omgång", values.get("omgang")))
            problem = label_problem(stated_round)
            if problem:
                result.warnings.append(f"källan {src.get('name')}: variabeln omgång kan inte användas ({problem.rstrip('.')}); "
                                       "svaret fick importens omgång.")
                stated_round = None
        rtype = (values.get("respondenttyp") or "").lower() or None
        if rtype not in (None, "region", "kommun", "rss"):
            rtype = None
        respondents.setdefault(resp_name, Respondent(
            resp_name, rtype, values.get("län") or values.get("lan") or None,
            _lan_code(values), values.get("kommunkod") or None,
            resolved=bool((case_name or values.get("respondent")) and rtype), raw_name=resp_name))
        item = _PendingSource(None, text)
        for ps in _children(src, "PlainTextSelection"):
            try:
                start, end = int(ps.get("startPosition")), int(ps.get("endPosition"))
            except (TypeError, ValueError):
                result.warnings.append(f"en markering i {src.get('name')} saknar giltiga positioner; hoppades över.")
                continue
            start, end = to_lf(max(0, min(start, end))), to_lf(max(start, end))
            end = min(len(text), end)
            if end <= start:
                continue
            memo = _memo_of(ps, notes)
            for coding in _children(ps, "Coding"):
                ref = _child(coding, "CodeRef")
                pc = code_by_guid.get(_norm_guid(ref.get("targetGUID") if ref is not None else ""))
                if pc is None:
                    result.warnings.append(f"en kodning i {src.get('name')} pekar på en okänd kod; hoppades över.")
                    continue
                who = users.get(_norm_guid(coding.get("creatingUser") or ps.get("creatingUser")), analyst)
                when = _iso(coding.get("creationDateTime") or ps.get("creationDateTime"))
                item.codings.append((start, end, pc.id, who, when, memo, *status_scope(coding)))
        for coding in _children(src, "Coding"):  # the whole source coded (ATLAS.ti, NVivo)
            ref = _child(coding, "CodeRef")
            pc = code_by_guid.get(_norm_guid(ref.get("targetGUID") if ref is not None else ""))
            if pc is None:
                result.warnings.append(f"en kodning i {src.get('name')} pekar på en okänd kod; hoppades över.")
            elif text.strip():
                lead = len(text) - len(text.lstrip())
                item.codings.append((lead, len(text.rstrip()), pc.id,
                                     users.get(_norm_guid(coding.get("creatingUser")), analyst),
                                     _iso(coding.get("creationDateTime")), "", *status_scope(coding)))
        item.memo = " / ".join(notes[g] for g in (_norm_guid(r.get("targetGUID")) for r in _children(src, "NoteRef"))
                               if g in notes)
        desc = _child(src, "Description")
        m = re.search(r"^Svarsalternativ: (.+)$", (desc.text or "") if desc is not None else "", re.MULTILINE)
        item.raw = RawAnswer(resp_name, question, text, choice=m.group(1).strip() if m else None,
                             position=len(pending), round_label=stated_round)
        pending.append(item)

    if not pending:
        raise RefiError(f"{file_name}: projektet innehåller inga textkällor att importera.")
    result.in_file = len(pending)
    if queries.has_source_file(store, sha):
        result.status = "unchanged"
        return result
    new_doc, added = merge_codes(base_doc, codes, categories)
    if added:
        store.save_codebook_doc(new_doc, analyst)
    result.new_codes = added

    # match sources to answers already in the project, by their text (and their round, when the source states it:
    # the same respondent may give the same text to a question in two rounds)
    existing: dict[str, list] = {}
    for a in store.answers():
        existing.setdefault(_text_key(a.text), []).append(a)
    rounds = {aid: label or "" for aid, (_at, label) in store.answer_origins().items()}
    matched: list[tuple[_PendingSource, object]] = []
    fresh: list[_PendingSource] = []
    used: set[int] = set()
    for item in pending:
        stated = item.raw.round_label
        candidates = [a for a in existing.get(_text_key(item.text), [])
                      if a.id not in used and (stated is None or rounds.get(a.id, "") == stated)]
        if not candidates:
            fresh.append(item)
            continue
        best = next((a for a in candidates if a.respondent.name == item.raw.respondent
                     and a.question == item.raw.question), candidates[0])
        used.add(best.id)
        matched.append((item, best))

    def resolve(a: RawAnswer) -> Respondent:
        return _resolve_registry(respondents[a.respondent])


    # Sources were matched by text, so an earlier file of the same name is never "replaced"
    # (that would delete the answers the matched codings sit on): a new name instead.
    stored_name, known = file_name, {f.name.lower() for f in store.source_files()}
    n = 2
    while stored_name.lower() in known:
        stem, dot, ext = file_name.rpartition(".")
        stored_name, n = (f"{stem} ({n}).{ext}" if dot else f"{file_name} ({n})"), n + 1
    parsed = ParsedFile(stored_name, "qdpx", sha, len(data),
                        [dataclasses.replace(item.raw, position=i) for i, item in enumerate(fresh)])
    outcome = store.import_parsed(parsed, resolve, round_label=round_label)
    if outcome.status == "unchanged":
        result.status = "unchanged"
        return result
    answer_at = queries.answer_ids_by_position(store, sha)
    for position, item in enumerate(fresh):
        if item.memo and position in answer_at:
            store.set_memo("answer", answer_at[position], item.memo, analyst)
    for item, answer in matched:
        if item.memo and not store.memo("answer", answer.id):
            store.set_memo("answer", answer.id, item.memo, analyst)
    # a Svarsanalys export's tagger user: its codings are suggestions nobody reviewed there, so they come in as
    # suggestions (to review here), never as anyone's coding
    tagger = users.get(_norm_guid(guid("user", ORIGIN)))
    fresh_items = [(answer_at[position], code_id, start, end, who, when, memo, status, scope)
                   for position, item in enumerate(fresh)
                   for start, end, code_id, who, when, memo, status, scope in item.codings]
    suggested = [i for i in fresh_items if tagger is not None and i[4] == tagger]
    fresh_items = [i for i in fresh_items if tagger is None or i[4] != tagger]
    result.codings = insert_imported_codings(store, fresh_items, file_name, suggestions=suggested)
    result.suggestions = len({i[:4] for i in suggested})
    file_coders = {c[3] for item in pending for c in item.codings if tagger is None or c[3] != tagger}
    if len(file_coders) > 1 and fresh_items:
        # several users coded the file: the project keeps one coding per span and code, and every
        # user's own codings are kept too (to compare them on Överensstämmelse)
        store.add_coder_codings([(a, who, c, s, e) for a, c, s, e, who, *_ in fresh_items], origin="import",
                                created_at=[i[5] for i in fresh_items], analyst=analyst)
    coder_items, dates, memos = [], [], []
    for item, answer in matched:
        to_original = _lf_to_original(answer.text, item.text)
        for start, end, code_id, who, when, memo, *_status_scope in item.codings:
            s, e = to_original(start), to_original(end)
            if e > s and (tagger is None or who != tagger):
                coder_items.append((answer.id, who, code_id, s, e))
                dates.append(when)
                memos.append(memo)
            elif tagger is not None and who == tagger:
                result.matched_suggestions += 1
    if coder_items:
        result.coder_codings = store.add_coder_codings(coder_items, origin="import", created_at=dates,
                                                       analyst=analyst)
        _coder_memos(store, coder_items, memos, analyst)
    result.coders = sorted({i[1] for i in coder_items}, key=str.lower)
    if len(file_coders) == 1:
        # one analyst coded the whole file: every answer in it is theirs, also those left uncoded
        ids = [answer.id for _, answer in matched] + [answer_at[p] for p in range(len(fresh)) if p in answer_at]
        store.assign(ids, file_coders, sample=file_name, done=True, analyst=analyst)
    result.answers = len(fresh)
    for item in fresh:
        if item.raw.round_label is not None:
            result.rounds[item.raw.round_label] = result.rounds.get(item.raw.round_label, 0) + 1
    result.matched = len(matched)
    result.respondents = len({item.raw.respondent for item in fresh})
    return result


def _iso(value: Optional[str]) -> Optional[str]:
    """An xsd:dateTime from a file as ISO 8601 (UTC), or None."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).isoformat(timespec="seconds")


def _notes(root) -> dict[str, str]:
    """Note GUID → its text (QualCoder and MAXQDA write memos as Notes referenced by NoteRef)."""
    out = {}
    notes_el = _child(root, "Notes")
    for note in _children(notes_el, "Note") if notes_el is not None else []:
        content = _child(note, "PlainTextContent")
        if content is not None and (content.text or "").strip():
            out[_norm_guid(note.get("guid"))] = content.text.strip()
    return out


def _memo_of(selection, notes: dict[str, str]) -> str:
    """The memo of a selection: its Description and the Notes it refers to."""
    parts = []
    desc = _child(selection, "Description")
    if desc is not None and (desc.text or "").strip():
        parts.append(desc.text.strip())
    for ref in _children(selection, "NoteRef"):
        text = notes.get(_norm_guid(ref.get("targetGUID")))
        if text:
            parts.append(text)
    return " / ".join(parts)


def _coder_memos(store, items: list, memos: list[str], analyst: str) -> None:
    """Memos of imported coder codings, stored on those codings."""
    wanted = {(a, c, k, s, e): m for (a, c, k, s, e), m in zip(items, memos) if m}
    if not wanted:
        return
    rows = store.coder_codings(answer_ids={k[0] for k in wanted})
    for r in rows:
        memo = wanted.get((r["answer_id"], r["coder"], r["code_id"], r["start"], r["end"]))
        if memo and store.memo("coder_coding", r["id"]) != memo:
            store.set_memo("coder_coding", r["id"], memo, analyst)


def _lan_code(values: dict) -> Optional[str]:
    code = values.get("kommunkod") or ""
    return code[:2] if len(code) >= 2 and code[:2].isdigit() else None


def _resolve_registry(r):
    """Complete a case's identity from the registry when it lacks codes (best effort)."""
    try:
        if r.type and r.lan_code:
            return r
        if r.type == "rss" and r.lan:
            lan = registry.resolve_lan(r.lan)
            return dataclasses.replace(r, lan_code=lan.code) if lan is not None else r
        found = registry.resolve(r.name, type_hint=r.type, lan_hint=r.lan)
        if found is not None and found.resolved:
            return found
    except Exception:  # noqa: BLE001 - a name the registry cannot place stays as written
        pass
    return r


def _question_from(src) -> Optional[str]:
    desc = _child(src, "Description")
    for text in ((desc.text if desc is not None else None), src.get("name")):
        m = re.search(r"fråga\s+([0-9]+[a-z]?)\b", text or "", re.IGNORECASE)
        if m:
            return m.group(1).lower()
    return None

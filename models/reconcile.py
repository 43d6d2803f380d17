"""Reconciliation: which respondents of the registry have answered and which have not ("ej svar").

Three groups are expected every round, the levels of the coverage model: the 21 regions (region
form); the kommuner of each of the 21 län, who answer together through the län's RSS (kommun form; a
kommun answering on its own also counts for its län); and the 290 kommuner that answered on their own
(an RSS answer is none of its kommuner's own answer). Gotland is both region and kommun: its
kommun questions are "ej relevant" (Gotlands län is not among the 20 län, as in the coverage model), an
answer filed as Gotlands kommun is Region Gotland's, and when Region Gotland answered, Gotlands kommun is
"besvaras av Region Gotland", neither answered nor missing among the kommuner.
`reconcile_respondents` is pure; `reconcile(store, round)` reads the answering respondents from the store.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

from models.records import Respondent
from reference import registry

GOTLAND_LAN_CODE = "09"


@dataclass
class Group:
    """One expected group: its label, how many are expected, who answered and who did not."""

    label: str
    expected: int
    answered: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    many_missing: bool = False  # the missing are most of a long list (the kommuner): shown on request
    by_region: list[str] = field(default_factory=list)  # neither answered nor missing: answered for by the region


@dataclass
class Reconciliation:
    """The registry against the answering respondents."""

    groups: list[Group]
    not_relevant: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # answering names the registry does not know


def reconcile_respondents(answering: Iterable[Respondent], regions: Iterable[Respondent],
                          rss: Iterable[Respondent], kommuner: Iterable[Respondent] = ()) -> Reconciliation:
    """Compare the respondents that have answers with the registry's regions, län (RSS) and kommuner."""
    answering = list(answering)
    regions = list(regions)
    region_by_lan = {r.lan_code: r.name for r in regions}
    # Gotland is region and kommun at once: an answer filed as its kommun is Region Gotland's
    region_names = {r.name for r in answering if r.resolved and r.type == "region"} | {
        region_by_lan[r.lan_code] for r in answering if r.resolved and r.type == "kommun"
        and r.lan_code == GOTLAND_LAN_CODE and r.lan_code in region_by_lan}
    kommun_lans = {r.lan_code for r in answering if r.resolved and r.type in ("rss", "kommun") and r.lan_code
                   and r.lan_code != GOTLAND_LAN_CODE}  # Gotlands län: ej relevant, as in the coverage model
    regions_group = Group("Regioner", 0)
    for r in regions:
        regions_group.expected += 1
        (regions_group.answered if r.name in region_names else regions_group.missing).append(r.name)
    lan_group = Group("Län med kommunsvar (länets RSS eller en kommun på egen hand)", 0)
    not_relevant: list[str] = []
    for r in rss:
        if r.lan_code == GOTLAND_LAN_CODE:
            not_relevant.append(f"{r.name}: kommunfrågorna är ej relevanta (Region Gotland är både region "
                                "och kommun och svarar på regionformuläret)")
            continue
        lan_group.expected += 1
        (lan_group.answered if r.lan_code in kommun_lans else lan_group.missing).append(r.name)
    groups = [regions_group, lan_group]
    kommuner = list(kommuner)
    if kommuner:
        own = {r.name for r in answering if r.resolved and r.type == "kommun" and r.lan_code != GOTLAND_LAN_CODE}
        kommun_group = Group("Kommuner med egna svar (ett RSS-svar räknas inte som kommunernas egna)", 0,
                             many_missing=True)
        for r in kommuner:
            kommun_group.expected += 1
            region = region_by_lan.get(r.lan_code)
            if r.lan_code == GOTLAND_LAN_CODE and region in region_names:
                kommun_group.by_region.append(f"{r.name}: besvaras av {region} (både region och kommun; räknas "
                                              "bland regionerna)")
                continue
            (kommun_group.answered if r.name in own else kommun_group.missing).append(r.name)
        groups.append(kommun_group)
    unknown = sorted({r.raw_name or r.name for r in answering if not r.resolved})
    return Reconciliation(groups, not_relevant, unknown)


def reconcile(store, round_label: Optional[str] = None) -> Reconciliation:
    """The reconciliation of a project (of one round when the store keeps rounds and `round_label` is given)."""
    with store.read() as con:
        columns = {row[1] for row in con.execute("PRAGMA table_info(answers)")}
        if round_label is not None and "round_label" in columns:
            rows = con.execute("SELECT DISTINCT respondent_id FROM answers WHERE round_label = ?",
                               (round_label,)).fetchall()
        else:
            rows = con.execute("SELECT DISTINCT respondent_id FROM answers").fetchall()
    ids = {int(r[0]) for r in rows}
    answering = [r for r in store.respondents() if r.id in ids]
    return reconcile_respondents(answering, registry.regions(), registry.rss(), registry.kommuner())

"""Domain lemma exceptions, applied before simplemma (keys lower-case surface forms).

simplemma is right for the general language but this domain needs a few fixed readings:
"äldre" is a target group (not a form of "gammal"), "boende" is a noun (a residence), and
"plan" is the noun (not the verb "plana").
"""
from __future__ import annotations

LEMMA_EXCEPTIONS: dict[str, str] = {
    # target groups and places
    "äldre": "äldre", "äldres": "äldre", "äldste": "äldre",
    "boende": "boende", "boendet": "boende", "boenden": "boende", "boendena": "boende", "boendes": "boende",
    "äldreboende": "äldreboende", "äldreboendet": "äldreboende", "äldreboenden": "äldreboende",
    "särskilt": "särskild", "särskilda": "särskild",
    "anhöriga": "anhörig", "anhörigas": "anhörig", "närstående": "närstående",
    "unga": "ung", "ungas": "ung",
    # nouns simplemma reads as verbs or other words
    "plan": "plan", "planen": "plan", "planer": "plan", "planerna": "plan", "planens": "plan",
    "vård": "vård", "vården": "vård", "vårdens": "vård",
    "team": "team", "teamet": "team", "teamen": "team", "teams": "team", "teamens": "team",
    "data": "data", "stöd": "stöd", "stödet": "stöd",
    "hälso": "hälsa", "hälsa": "hälsa", "hälsan": "hälsa",
    "nära": "nära", "fast": "fast", "fasta": "fast",
    "mål": "mål", "målen": "mål", "målet": "mål",
    "län": "län", "länet": "län", "länets": "län", "länen": "län",
    "insats": "insats", "insatsen": "insats", "insatser": "insats", "insatserna": "insats",
    "uppdrag": "uppdrag", "uppdraget": "uppdrag", "uppdragen": "uppdrag", "uppdragets": "uppdrag",
    "app": "app", "appen": "app", "appar": "app", "apparna": "app",
    # verbs/auxiliaries the tagger relies on
    "har": "ha", "hade": "ha", "haft": "ha",
    "med": "med", "för": "för", "om": "om",
    "ej": "ej", "inte": "inte", "saknas": "saknas",
}

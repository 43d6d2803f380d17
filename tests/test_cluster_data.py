"""Shared sentences for the clustering tests: three clearly different kinds of measures."""
from __future__ import annotations

THEMES: dict[str, list[str]] = {
    "mobil": [
        "Det mobila teamet gör hembesök hos sköra äldre i hemmet.",
        "Mobila närvårdsteam med läkare och sjuksköterska åker hem till patienten.",
        "Vi har startat ett mobilt team som gör hembesök på kvällar.",
        "Hemsjukvårdsteamet och vårdcentralens läkare gör gemensamma hembesök.",
        "Det mobila läkarteamet besöker patienter i hemmet och på boendet.",
        "Ett nytt mobilt närsjukvårdsteam gör hembesök i glesbygden.",
    ],
    "egen": [
        "Patienter med hjärtsvikt registrerar sina mätvärden i en app.",
        "Egenmonitorering med digital blodtrycksmätning i hemmet har införts.",
        "Invånarna rapporterar själva mätvärden via appen till vårdcentralen.",
        "Pilotprojekt med egenmonitorering av blodsocker i en app för diabetespatienter.",
        "Digitala mätvärden från patientens egen blodtrycksmätare skickas via appen.",
        "Egenmonitoreringen omfattar nu även KOL-patienter som registrerar syremättnad i appen.",
    ],
    "kompetens": [
        "Kompetensförsörjningsplanen omfattar rekrytering av undersköterskor.",
        "Rekryteringen av sjuksköterskor och undersköterskor är svår i länet.",
        "Regionen erbjuder utbildningstjänster för att underlätta kompetensförsörjningen.",
        "En gemensam plan för kompetensförsörjning och rekrytering har tagits fram.",
        "Rekrytering och introduktion av nya undersköterskor i hemtjänsten.",
        "Kompetensförsörjning genom betald utbildning till undersköterska.",
    ],
}


def themed() -> tuple[list[str], list[str]]:
    """(texts, theme per text), interleaved so order does not give the answer away."""
    texts, labels = [], []
    for i in range(6):
        for theme, sents in THEMES.items():
            texts.append(sents[i])
            labels.append(theme)
    return texts, labels

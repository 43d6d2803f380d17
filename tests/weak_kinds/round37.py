"""The recall kinds of seven weak codes on blind_round17-24 that the rules never proposed (issue 13, round tag37): the
codebook's words for other ways of saying the measure, on sentences written for these tests (no sentence of an
evaluation set or of the training passages). Each positive fails with the codebook of ce10fd3 and passes here; the
negatives pass on both."""
from __future__ import annotations

POSITIVES = [
    # förebyggande för äldre: balance training said otherwise, nutrition
    ("Fysioterapeuterna har startat en balansskola i Sörby i höst.", "forebyggande_aldre_fallprevention"),
    ("Seniorer erbjuds träning i balans och styrka två gånger i veckan.", "forebyggande_aldre_fallprevention"),
    ("Sjuksköterskan följer upp äldre med undervikt i hemtjänsten.", "forebyggande_aldre_fallprevention"),
    # rehabilitering: rehab- compounds and the therapists training with the person
    ("Korttidsboendet har fått fyra nya rehabplatser.", "rehabilitering_habilitering"),
    ("Rehabinsatserna ges nu av kommunens egen personal.", "rehabilitering_habilitering"),
    ("Arbetsterapeuten tränar med brukaren i köket varje morgon.", "rehabilitering_habilitering"),
    ("Fysioterapeuten lägger upp träningen efter varje hembesök.", "rehabilitering_habilitering"),
    # fast kontakt: continuity described
    ("Brukarna i hemtjänsten möter samma personer varje vecka.", "fast_kontakt"),
    ("Varje patient på mottagningen får en egen kontaktperson.", "fast_kontakt"),
    # proaktiv: catching deterioration
    ("Hemtjänsten använder en lathund för att fånga upp försämring hos brukarna.", "proaktiv_vard_skora_aldre"),
    # arbetsmiljö: chefs' development, full-time, relief talks
    ("Alla nya enhetschefer går ett chefsutvecklingsprogram.", "arbetsmiljo_ledarskap"),
    ("Andelen heltidsanställda har ökat i hemtjänsten.", "arbetsmiljo_ledarskap"),
    ("Personalen erbjuds avlastningssamtal efter svåra händelser.", "arbetsmiljo_ledarskap"),
    # utbildning och kommunikation: more formats
    ("Förvaltningen har hållit informationsmöten om nära vård för alla enheter.", "utbildning_kommunikation_omstallning"),
    ("En poddserie om nära vård har spelats in för medarbetarna.", "utbildning_kommunikation_omstallning"),
]

NEGATIVES = [
    # rehabpersonal named alone is not a rehab measure (many true negatives in the training data)
    ("Kommunens rehabpersonal sitter i samma korridor som biståndshandläggarna.", "rehabilitering_habilitering"),
    # a training session for staff, not with the person
    ("Arbetsterapeuterna har fått utbildning i det nya journalsystemet.", "rehabilitering_habilitering"),
    # 'tidigt upptäcka' of anything but deterioration (tidig upptäckt of cancer is screening)
    ("Screeningen ska tidigt upptäcka cancer hos kvinnor.", "proaktiv_vard_skora_aldre"),
    # a handlingsplan alone does not make a training an omställning insats
    ("Utbildningen i brandskydd följer kommunens handlingsplan.", "utbildning_kommunikation_omstallning"),
    # a 'dragning' of the budget is not communication about nära vård
    ("Ekonomichefen gjorde en dragning av budgeten för nämnden.", "utbildning_kommunikation_omstallning"),
]

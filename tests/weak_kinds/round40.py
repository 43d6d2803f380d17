"""The recall kinds of the weak codes on blind_round23-26 that the rules never proposed (issue 13, round train40): the
codebook's words for other ways of saying the measure, on sentences written for these tests (no sentence of an
evaluation set or of the training passages). Each positive fails with the codebook of 9ef6ce1 and passes here."""
from __future__ import annotations

POSITIVES = [
    # samverkan: the patients two units share; the joint team meeting abbreviated
    ("Varje måndag pratar de två cheferna om brukare de delar.", "samverkan_verksamhetsnara"),
    ("Rehabteamet har gem. teamträffar med vårdcentralen varannan vecka.", "samverkan_verksamhetsnara"),
    # personcentrerat: the person sets the goals
    ("Rehabiliteringen börjar med ett möte där patienten själv sätter målen.", "personcentrerat_arbetssatt"),
    ("Boendestödjaren skriver tillsammans med den boende ner vad hen vill uppnå under året.",
     "personcentrerat_arbetssatt"),
    # egenvård: the patient's written plan for deterioration; training on one's own, taught
    ("Patienterna med hjärtsvikt får en handlingsplan för försämring att ha hemma.", "egenvard_patientutbildning"),
    ("Efter operationen får patienten instruktioner för egenträning av fysioterapeuten.", "egenvard_patientutbildning"),
    # proaktiv: repeated hospital stays as one compound
    ("Kommunen prioriterar brukare med upprepade sjukhusvistelser.", "proaktiv_vard_skora_aldre"),
]

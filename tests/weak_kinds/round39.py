"""The recall kinds of the weak codes on blind_round23-25 that the rules never proposed (issue 13, round tag39): the
codebook's words for other ways of saying the measure, on sentences written for these tests (no sentence of an
evaluation set or of the training passages). Each positive fails with the codebook of ea234ee and passes here; the
negatives pass on both."""
from __future__ import annotations

POSITIVES = [
    # personcentrerat: what the person wants to achieve, what was most important (past tense)
    ("Kuratorn skriver ner vad han vill uppnå under vistelsen.", "personcentrerat_arbetssatt"),
    ("Kontaktmannen frågade vad som var viktigast inför flytten till boendet.", "personcentrerat_arbetssatt"),
    # egenmonitorering: the patient's own weight reports, uploaded values
    ("Hjärtsviktspatienterna har daglig viktrapportering till mottagningen.", "egenmonitorering"),
    ("Deltagarna laddar upp sina värden efter varje mätning.", "egenmonitorering"),
    # vårdkoordinator: a named person appointed as coordinator for the individual
    ("Kommunen har en hemgångssamordnare sedan mars.", "vardkoordinator_samordnare"),
    ("En av handläggarna har utsetts till samordnare för de unga vuxna.", "vardkoordinator_samordnare"),
    # egenvård: a written programme to follow on one's own at home
    ("Efter besöket får patienten ett program för egen träning att göra hemma.", "egenvard_patientutbildning"),
    ("Deltagarna uppmuntras att träna vidare hemma mellan gruppträffarna.", "egenvard_patientutbildning"),
    # resurser: freeing nurses' time, staff paid by the other huvudman
    ("Delegeringen till undersköterskorna frigör sjukskötersketid i hemsjukvården.", "resurser_ersattning"),
    ("Den nya rehabassistenten i kommunen är bekostad av regionen under första året.", "resurser_ersattning"),
]

NEGATIVES = [
    # a coordinator of an organisation or a network, not of individual patients
    ("En länsgemensam samordnare leder nätverket för familjecentralerna.", "vardkoordinator_samordnare"),
    ("Kommunen har anställt en samordnare för familjecentralerna i länet.", "vardkoordinator_samordnare"),
]

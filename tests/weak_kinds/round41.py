"""The recall kinds of the weak codes on blind_round23-27 that the rules never proposed (issue 13, round tag41): the
codebook's words for other ways of saying the measure, on sentences written for these tests (no sentence of an
evaluation set or of the training passages). Each positive fails with the codebook of rot27 (039609c) and passes
here; the negatives (traps of the new words) pass on both."""
from __future__ import annotations

POSITIVES = [
    # resurser: a consultation line for GPs, renting space from the other party, a cost split by a key or between
    # the parties, a post the parties share
    ("Distriktsläkarna kan ringa sjukhusets konsulttelefon när de är osäkra på en behandling.", "resurser_ersattning"),
    ("Folktandvården och vårdcentralen hyr in sig i kommunens hus vid torget.", "resurser_ersattning"),
    ("Driftkostnaden för vårdpunkten fördelas mellan de tre kommunerna.", "resurser_ersattning"),
    ("Hur mycket varje kommun bidrar med räknas fram med en fördelningsnyckel.", "resurser_ersattning"),
    ("Kommunerna i norra länsdelen delar på en samordnare för anhörigstöd.", "resurser_ersattning"),
    # rehabilitering: the therapist teaches the staff, starts training; training to manage on one's own
    ("Arbetsterapeuten lär personalen i hemtjänsten hur brukarna kan duscha med så lite hjälp som möjligt.",
     "rehabilitering_habilitering"),
    ("Fysioterapeuten sätter in träning med rollator redan andra dagen på korttidsplatsen.",
     "rehabilitering_habilitering"),
    ("Undersköterskorna tränar med brukaren på att klara sig själv i köket.", "rehabilitering_habilitering"),
    # proaktiv: a call after every admission, patients admitted several times, a risk tool
    ("Distriktssköterskan kontaktar brukaren per telefon efter varje inläggning.", "proaktiv_vard_skora_aldre"),
    ("Mottagningen kallar alla som lagts in fyra gånger under året till ett planeringsbesök.",
     "proaktiv_vard_skora_aldre"),
    ("Vårdcentralen använder ett riskverktyg i journalsystemet för att hitta patienterna.",
     "proaktiv_vard_skora_aldre"),
    # utbildning: a nära vård day, an e-learning course on the transition
    ("Fyrahundra medarbetare deltog i vårens nära vård-dag i kongresshallen.", "utbildning_kommunikation_omstallning"),
    ("Nyanställda går en e-utbildning om omställningen.", "utbildning_kommunikation_omstallning"),
    # egenvård: a medicines school, what the patient is to do themselves, managing pain, group courses for patients
    ("Den som börjar med insulin bjuds in till vårdcentralens läkemedelsskola.", "egenvard_patientutbildning"),
    ("I planen står vilka tecken hen ska vara uppmärksam på och vad hen själv ska göra då.",
     "egenvard_patientutbildning"),
    ("Smärtgruppen på vårdcentralen hjälper deltagarna att hantera smärtan i vardagen.", "egenvard_patientutbildning"),
    ("Dietisten har startat en gruppkurs för deltagarna med ledbesvär.", "egenvard_patientutbildning"),
    # digitala vårdbesök: booking a video meeting
    ("Den som vill kan boka ett videomöte med biståndshandläggaren via kommunens webbplats.", "digitala_vardbesok"),
]
NEGATIVES = [
    # sharing a responsibility, a course for staff, a manager teaching staff
    ("Regionen och kommunen delar på ansvaret för insatsen.", "resurser_ersattning"),
    ("Fysioterapeuten ledde en gruppkurs i ergonomi för personalen.", "egenvard_patientutbildning"),
    ("Chefen har lärt personalen att använda det nya schemasystemet.", "rehabilitering_habilitering"),
]

"""The recall kinds of the weak codes on blind_round17-23 that the rules never proposed (issue 13, round tag35): the
codebook's words for other ways of saying the measure, on sentences written for these tests (no sentence of an
evaluation set or of the training passages). Each positive fails with the codebook of e5519c2 and passes here; the
negatives pass on both."""
from __future__ import annotations

POSITIVES = [
    # glesbygd said as distance
    ("Hemtjänsten har fått elbilar eftersom avstånden i kommunen är långa.", "glesbygd"),
    ("Äldre som bor långt från vårdcentralen kan nu lämna prover hos hemtjänsten.", "glesbygd"),
    ("Fotvården åker nu ut till byarna en gång i månaden.", "glesbygd"),
    # glesbygd said as the size of the kommun
    ("Som liten kommun samarbetar vi med grannkommunen om nattpatrullen.", "glesbygd"),
    # personcentrerat: what the person wants, and quick notes without å/ä/ö
    ("Kontaktmannen går igenom vad brukaren själv vill göra under veckan.", "personcentrerat_arbetssatt"),
    ("Samtalen utgår fran vad som ar viktigt for den enskilde.", "personcentrerat_arbetssatt"),
    ("Fysioterapeuten börjar med frågan vad vill du orka med i sommar.", "personcentrerat_arbetssatt"),
    # egenvård: patients learn to read their own values and act, schools named by body part or condition
    ("Deltagarna får lära sig känna igen tidiga tecken på en försämring av astman.", "egenvard_patientutbildning"),
    ("Vi har startat en nackskola för patienter med långvarig värk.", "egenvard_patientutbildning"),
    ("De som mäter blodsockret hemma får hjälp att tolka sina värden.", "egenvard_patientutbildning"),
    ("Personer med lindrig utvecklingsstörning får stöd att sköta sin hälsa.", "egenvard_patientutbildning"),
    # arbetsmiljö: span of control as a number, support for chefs, working time
    ("Sedan omorganisationen har varje chef högst 25 medarbetare.", "arbetsmiljo_ledarskap"),
    ("Enhetscheferna erbjuds coachning under sitt första år.", "arbetsmiljo_ledarskap"),
    ("Sjuksköterskorna i hemsjukvården har fått kortare arbetstid nattetid.", "arbetsmiljo_ledarskap"),
    ("Personalgrupperna har fått avsatt reflektionstid varje vecka.", "arbetsmiljo_ledarskap"),
    # samverkan, psykisk hälsa, informationsöverföring
    ("BUP och elevhälsan håller gemensamma ärendekonferenser varje månad.", "samverkan_verksamhetsnara"),
    ("Kommunen har öppnat en samtalsmottagning för unga vuxna.", "psykisk_halsa"),
    ("Kommunen har anslutit sig till regionens digitala planeringstjänst.", "informationsoverforing"),
]

NEGATIVES = [
    # a distance without 'avstånden' or a village name is not glesbygd
    ("Avståndet mellan enheterna på sjukhuset har minskat efter ombyggnaden.", "glesbygd"),
    # a chef with fewer than ten tasks is not a span of control
    ("Enhetschefen har nu fler uppgifter än tidigare.", "arbetsmiljo_ledarskap"),
    # staff, not patients, learning something
    ("Nya medarbetare får lära sig verksamhetssystemet under introduktionen.", "egenvard_patientutbildning"),
    # 'vad vill' without the person being asked
    ("Nämnden har inte bestämt sig för vad den vill satsa på.", "personcentrerat_arbetssatt"),
]

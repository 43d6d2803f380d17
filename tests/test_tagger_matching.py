"""Rule tagger: inflections, compounds, abbreviations, co-occurrence, exclusions (own sentences)."""
from __future__ import annotations

import pytest

from nlp.codebook import Codebook, default_codebook
from nlp.tagger import Tagger
from tests.helpers.tagging import codes, tagger  # noqa: F401 (tagger is a fixture)


@pytest.mark.parametrize("text,code", [
    ("I kommunen arbetar de mobila teamen varje dag.", "mobila_team"),
    ("Ett mobilt team startades i våras.", "mobila_team"),
    ("Hemsjukvårdsteamet har fått fler sjuksköterskor.", "mobila_team"),
    ("Vi har ett mobilt palliativt team i norra länsdelen.", "mobila_team"),
    ("Antalet SIP:ar ökade under hösten.", "sip"),
    ("SIP-samordnaren kallar till möten.", "sip"),
    ("Arbetet med samordnade individuella planer har utvecklats.", "sip"),
    ("Patientkontraktet visas för patienten i 1177.", "patientkontrakt"),
    ("Patientkontraktsarbetet har spridits till fler enheter.", "patientkontrakt"),
    ("Egenmonitoreringen omfattar nu patienter med hjärtsvikt.", "egenmonitorering"),
    ("En ny egenmonitoreringslösning har upphandlats.", "egenmonitorering"),
    ("Fasta läkarkontakter erbjuds alla över 75 år.", "fast_kontakt"),
    ("Äldremottagningarna har utökat sina öppettider.", "aldremottagning"),
    ("Bedömningsbilarna körs av specialistsjuksköterskor.", "ambulans_bedomningsbil"),
    ("Familjecentralen öppnade i mars.", "familjecentral"),
    ("Riktade hälsosamtalen genomförs för 40-åringar.", "halsosamtal"),
    ("Digital nattillsyn erbjuds som alternativ till besök.", "valfardsteknik"),
    ("Läkarmedverkansavtalet reviderades.", "lakarmedverkan_kommunal_hsv"),
    ("Kompetensförsörjningsplanen antogs av nämnden.", "kompetensforsorjning"),
])
def test_inflections_and_compounds_of_main_terms(tagger, text, code):
    assert code in codes(tagger, text)


def test_evidence_offsets_point_into_original_text(tagger):
    text = "Inledning.\n\n•  De mobila  teamen\u00ad finns i hela länet."
    res = tagger.tag_texts([text])[0]
    ev = [e for e in res.evidence if e.code == "mobila_team"][0]
    assert text[ev.start:ev.end] == ev.match
    assert ev.match.startswith("mobila")


def test_cooccurrence_paraphrase_of_mobile_team(tagger):
    text = "Vårdcentralens läkare åker ut till patienten ihop med kommunens distriktssköterska."
    res = tagger.tag_texts([text])[0]
    assert "mobila_team" in res.codes
    assert any(e.rule.startswith("cooccurrence") for e in res.evidence if e.code == "mobila_team")


def test_cooccurrence_needs_every_concept_in_one_sentence(tagger):
    text = "Läkaren arbetar på vårdcentralen. Hembesök görs av hemtjänsten."
    assert "mobila_team" not in codes(tagger, text)


def test_patients_measure_themselves_is_egenmonitorering(tagger):
    assert "egenmonitorering" in codes(tagger, "Patienterna registrerar själva sina mätvärden för blodtryck i en app.")


def test_bare_team_is_not_mobile_team(tagger):
    assert "mobila_team" not in codes(tagger, "Teamarbete och filmteam nämndes på mötet.")


def test_abbreviation_is_case_sensitive(tagger):
    assert "sip" not in codes(tagger, "Telefonin bygger på sip-protokollet och en sip trunk.")


def test_negative_keyword_cancels_only_its_span(tagger):
    text = "Enligt överenskommelsen om god och nära vård ska regionerna rapportera."
    assert "patientkontrakt" not in codes(tagger, text)


def test_weak_keyword_needs_concrete_measure(tagger):
    assert "samverkan_verksamhetsnara" not in codes(tagger, "Samverkan är viktig för oss alla.")
    assert "samverkan_verksamhetsnara" in codes(tagger, "Samverkan sker enligt en gemensam rutin för hemsjukvården.")


def test_false_friend_dependency_is_not_addiction(tagger):
    assert "psykisk_halsa" not in codes(tagger, "Vi vill minska beroendet av inhyrd personal.")


def test_analyst_adds_compound_modifier_without_regex():
    doc = default_codebook().to_doc()
    for cat in doc["categories"]:
        for code in cat["codes"]:
            if code["id"] == "mobila_team":
                code["compounds"] = [{"head": "team", "modifiers": ["kvälls"]}]
                code["keywords"] = ["mobila team"]
                code.pop("cooccurrence", None)
    cb = Codebook.from_doc(doc)
    t = Tagger(cb)
    assert "mobila_team" in t.tag_texts(["Kvällsteamet gör hembesök."])[0].codes
    assert "mobila_team" not in Tagger(default_codebook()).tag_texts(["Kvällsteamet träffas."])[0].codes


def test_retag_after_codebook_edit_uses_kept_analyses():
    t = Tagger(default_codebook())
    text = "Ett trygghetsnav har startats i kommunen."
    assert "mobila_team" not in t.tag_texts([text])[0].codes
    doc = default_codebook().to_doc()
    for cat in doc["categories"]:
        for code in cat["codes"]:
            if code["id"] == "mobila_team":
                code["keywords"].append("trygghetsnav")
    res = t.retag(Codebook.from_doc(doc))
    assert "mobila_team" in res[0].codes


def test_offsets_of_long_answer_with_breaks_map_to_original():
    from nlp.codebook import default_codebook
    from nlp.tagger import Tagger

    text = "Vi har pallia-\ntiv vård.\n" + "• mobila team\n" * 300
    res = Tagger(default_codebook()).tag_texts([text])[0]
    hits = [e for e in res.evidence if e.code == "mobila_team"]
    assert len(hits) == 300
    assert all(text[e.start:e.end] == e.match and e.match.lower() == "mobila team" for e in hits)


@pytest.mark.parametrize("text,code", [
    ("Utskrivningen av lugnande läkemedel följs upp varje månad.", None),
    ("Regionen för en dialog med Inera om nya e-tjänster.", None),
    ("Individuella planer enligt LSS upprättas på begäran.", None),
    ("Chefer i första linjens ledning får ett nytt stöd.", None),
    ("Vi satsar på en bättre psykosocial arbetsmiljö på boendet.", None),
    ("Rekryteringsläget för undersköterskor är fortsatt svårt.", None),
])
def test_codebook_false_friends_do_not_code(text, code):
    from nlp.codebook import default_codebook
    from nlp.tagger import Tagger

    res = Tagger(default_codebook()).tag_texts([text])[0]
    banned = {"utskrivning", "digitala_vardbesok", "sip", "barn_unga_elevhalsa", "psykisk_halsa", "kompetensforsorjning"}
    assert not banned & set(res.codes), (text, res.codes)


@pytest.mark.parametrize("text,code", [
    ("Varje brukare har nu en fast omsorgskontakt och en namngiven sjuksköterska.", "fast_kontakt"),
    ("Första linjen för barn och unga har fått fler psykologer.", "barn_unga_elevhalsa"),
    ("Första linjen för barn och unga har fått fler psykologer.", "psykisk_halsa"),
    ("Hälso- och sjukvården och kommunen har startat ett gemensamt demensteam.", "samverkan_verksamhetsnara"),
    ("Patienter med hjärtsvikt väger sig varje morgon och vikten skickas till mottagningen.", "egenmonitorering"),
    ("Undersköterskor som läser till sjuksköterska får behålla sin lön.", "kompetensforsorjning"),
])
def test_paraphrases_are_found(text, code):
    from nlp.codebook import default_codebook
    from nlp.tagger import Tagger

    res = Tagger(default_codebook()).tag_texts([text])[0]
    assert code in res.codes, (text, res.codes)


def test_particle_verb_may_be_split_by_a_few_words():
    from nlp.codebook import default_codebook
    from nlp.tagger import Tagger

    t = Tagger(default_codebook())
    split = t.tag_texts(["Läkaren och sjuksköterskan åker numera varje vecka ut till patienterna i hemmet."])[0]
    assert "mobila_team" in split.codes
    # the particle must stay within the clause: 'ut' after 'och' belongs to another verb
    far = t.tag_texts(["Läkaren åker till mötet och sjuksköterskan går ut med hunden."])[0]
    assert "mobila_team" not in far.codes


def test_cooccurrence_using_a_false_friend_word_is_excluded():
    from nlp.codebook import default_codebook
    from nlp.tagger import Tagger

    t = Tagger(default_codebook())
    lss = t.tag_texts(["Handläggaren har börjat ta fram en individuell plan enligt LSS tillsammans med familjen."])[0]
    assert "sip" not in lss.codes
    sip = t.tag_texts(["Handläggaren har börjat ta fram en samordnad individuell plan tillsammans med familjen."])[0]
    assert "sip" in sip.codes


@pytest.mark.parametrize("text,code", [
    ("Kommunens fältsjuksköterska lotsar brukare med stora behov mellan hemtjänst och vårdcentral.",
     "vardkoordinator_samordnare"),
    ("I samtalet utgår vi från vad som är viktigt för den enskilde.", "personcentrerat_arbetssatt"),
    ("Brukarna fyller i ett formulär om sina symtom i appen varje vecka.", "egenmonitorering"),
    ("Sjuksköterskan ringer regelbundet de patienter som har flest akutbesök.", "proaktiv_vard_skora_aldre"),
    ("Gruppträffarna ska hjälpa deltagarna att hantera sin sjukdom i vardagen.", "egenvard_patientutbildning"),
    ("Inom psykiatrin erbjuds patienter med ångest nu internetbehandling.", "psykisk_halsa"),
    ("Bemanningssjuksköterskorna har ersatts av tillsvidareanställd personal.", "kompetensforsorjning"),
    ("Barnmorskorna har börjat ha videomöten med gravida som bor långt från mottagningen.", "digitala_vardbesok"),
])
def test_paraphrases_of_measures_round_three(tagger, text, code):
    assert code in codes(tagger, text)


@pytest.mark.parametrize("text,code", [
    # psychiatry named only as a partner or a workplace is not a psychiatric measure
    ("Vårdcentralen och vuxenpsykiatrin har ett gemensamt samverkansforum varje månad.", "psykisk_halsa"),
    ("Arbetssättet har under året spridits till psykiatrin och ortopeden.", "psykisk_halsa"),
    # the RSS that adopted a plan is not itself a measure of systemledning
    ("Kompetensförsörjningsplanen antogs i RSS i november.", "systemledning_uppfoljning"),
])
def test_setting_or_decision_body_alone_does_not_code(tagger, text, code):
    assert code not in codes(tagger, text)


def test_rarely_mentioned_reads_as_absent(tagger):
    res = tagger.tag_texts(["I avtalen nämns patientkontrakt sällan, och mobila team nämns sällan i regelböckerna."])[0]
    assert "mobila_team" not in res.codes
    assert any(e.code == "mobila_team" and e.negated for e in res.evidence)


@pytest.mark.parametrize("text,code", [
    # a journal system named as where something is documented is not information transfer
    ("Samtalen dokumenteras i journalsystemet och följs upp varje månad.", "informationsoverforing"),
    # home visits by child-health nurses are not a mobile care team
    ("BVC-sjuksköterskan gör tre extra hembesök hos alla förstagångsföräldrar.", "mobila_team"),
    # 'i alla länsdelar' says where, not how the omställning is led
    ("Hälsoskolan erbjuds nu i alla länsdelar.", "systemledning_uppfoljning"),
])
def test_incidental_mentions_do_not_code(tagger, text, code):
    assert code not in codes(tagger, text)


def test_new_journal_system_shared_between_principals_is_information_transfer(tagger):
    assert "informationsoverforing" in codes(
        tagger, "Ett nytt gemensamt journalsystem för region och kommuner infördes i maj.")


def test_rejected_proposal_is_cancelled(tagger):
    res = tagger.tag_texts(["Förslaget om en gemensam nämnd för hälso- och sjukvård avslogs av fullmäktige."])[0]
    assert "systemledning_uppfoljning" not in res.codes


@pytest.mark.parametrize("keyword,text,hit", [
    ("trygghetsnav*", "Trygghetsnavigatorerna ringer alla som skrivs ut.", True),
    ("trygghetsnav*", "Ett trygghetsnav har startats.", True),
    ("trygghetsnav*", "Tryggheten i hemmet har ökat.", False),
    ("kvällspatrull* i hemmet", "Kvällspatrullerna i hemmet gör hembesök.", True),
])
def test_keyword_ending_in_star_is_a_prefix(keyword, text, hit):
    """'ord*' matches every word that starts with 'ord', also as the first word of a phrase."""
    doc = default_codebook().to_doc()
    for cat in doc["categories"]:
        for code in cat["codes"]:
            if code["id"] == "mobila_team":
                code["keywords"] = [keyword]
                code.pop("cooccurrence", None)
                code.pop("compounds", None)
    found = "mobila_team" in Tagger(Codebook.from_doc(doc)).tag_texts([text])[0].codes
    assert found is hit

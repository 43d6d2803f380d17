"""The recall kinds of resurser_ersattning and digitala_vardbesok on blind_round17-22 (issue 13, round tag33): the
codebook's words for them, on sentences written for these tests (no sentence of an evaluation set or of the training
passages). Each positive fails with the codebook of 7db1762 and passes here; the negatives pass on both."""
from __future__ import annotations

POSITIVES = [
    # co-location of the region's and the kommun's staff written without the codebook's words
    ("Kommunens hemsjukvård och vårdcentralen i Lövnäs arbetar sedan i somras i samma lokaler.", "resurser_ersattning"),
    ("Distriktssköterskorna har flyttat ihop med hemsjukvården i det nya huset vid torget.", "resurser_ersattning"),
    ("I Backa sitter hälsocentralens sjuksköterskor numera i samma korridor som hemsjukvården.", "resurser_ersattning"),
    # a kommun's staff placed at the other principal's unit
    ("Sedan januari finns en kommunal sjuksköterska placerad på hälsocentralen i Mo.", "resurser_ersattning"),
    # staff shared with another kommun
    ("Vi delar en sjuksköterska med Västerby kommun sedan i höstas.", "resurser_ersattning"),
    # premises costs shared
    ("Regionen och kommunen delar på lokalkostnaden för vårdpunkten i Nyby.", "resurser_ersattning"),
    ("Kommunen står för lokalen och regionen för bemanningen.", "resurser_ersattning"),
    # an e-tjänst for invånare (the bare word was both keyword and negative keyword)
    ("Invånarna kan sedan i våras ansöka om trygghetslarm via en ny e-tjänst.", "digitala_vardbesok"),
    ("Via kommunens e-tjänst kan brukare boka tid hos arbetsterapeuten.", "digitala_vardbesok"),
]

NEGATIVES = [
    # an e-tjänst between professionals, the Inera dialogue and a building permit are not digital visits
    ("Vi för en dialog med Inera om nya e-tjänster.", "digitala_vardbesok"),
    ("Förskrivarna beställer nu hjälpmedel via en e-tjänst hos hjälpmedelscentralen.", "digitala_vardbesok"),
    ("Kommunens e-tjänst för ansökan om bygglov har gjorts om.", "digitala_vardbesok"),
    # a familjecentral's premises are what the familjecentral is
    ("Familjecentralen har BVC och öppen förskola under samma tak.", "resurser_ersattning"),
    # 'delar ut' is handing out, not sharing staff
    ("Sjuksköterskan delar ut läkemedlen på avdelningen varje kväll.", "resurser_ersattning"),
]

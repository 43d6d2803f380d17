"""Names (respondents, files, codes, members) written for the kinds Streamlit's Markdown would change."""
# shown and copied exactly as typed: no invisible character added
PLAIN = ["Region:Dalarna", "Kod :smile: och :red[x]", ":material/home: kod", "Anna's kod (v2) *fet* _kursiv_",
         "Fil_1.docx", "50 % > 40 %", "a-b c--d", "<b>fet</b> & [länk](x)", "$x$ och \\(y\\)"]
# shown as typed where Streamlit would make a link, its logo or an arrow, and copied as typed too (qa46: no word
# joiner is added any more; an empty directive cuts them, see ui.highlight.SPLIT)
GUARDED = ["www.exempel.se", "anna@exempel.se", "http://exempel.se/x", "Team :streamlit: kod", "Före -> efter",
           "A -- B", "x >= 3 <= 4 ~= 5", "<-> pilar <-", "Kontakt: anna.berg@region-dalarna.se (Region Dalarna)",
           "svar_från_anna@exempel.se_2022.docx", "Tid:@x.se och HTTPS://X.SE", "a@b.c@d.se"]
NAMES = PLAIN + GUARDED

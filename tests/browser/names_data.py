"""Names (respondents, files, codes, members) written for the kinds Streamlit's Markdown would change."""
# shown and copied exactly as typed: no invisible character added
PLAIN = ["Region:Dalarna", "Kod :smile: och :red[x]", ":material/home: kod", "Anna's kod (v2) *fet* _kursiv_",
         "Fil_1.docx", "50 % > 40 %", "a-b c--d", "<b>fet</b> & [länk](x)", "$x$ och \\(y\\)"]
# shown as typed, with a word joiner where Streamlit would make a link, its logo or an arrow
GUARDED = ["www.exempel.se", "anna@exempel.se", "http://exempel.se/x", "Team :streamlit: kod", "Före -> efter",
           "A -- B", "x >= 3 <= 4 ~= 5", "<-> pilar <-"]
NAMES = PLAIN + GUARDED

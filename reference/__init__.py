"""Reference data over data/: the registry of regions, län, kommuner and RSS, and the questionnaire forms."""

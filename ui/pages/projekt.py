"""Page module (thin): see ui/screens/projekt.py."""
from ui.screens import projekt

projekt.render()

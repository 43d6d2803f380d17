"""Page module (thin): see ui/screens/forandring.py."""
from ui.screens import forandring

forandring.render()

"""Page module (thin): see ui/screens/importera.py."""
from ui.screens import importera

importera.render()

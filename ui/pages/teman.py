"""Page module (thin): see ui/screens/teman.py."""
from ui.screens import teman

teman.render()

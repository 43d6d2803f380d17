"""Page module (thin): see ui/screens/kluster.py."""
from ui.screens import kluster

kluster.render()

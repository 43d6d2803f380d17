"""Page module (thin): see ui/screens/svar.py."""
from ui.screens import svar

svar.render()

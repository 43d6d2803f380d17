"""Page module (thin): see ui/screens/exportera.py."""
from ui.screens import exportera

exportera.render()

"""Page module (thin): see ui/screens/kodbok.py."""
from ui.screens import kodbok

kodbok.render()

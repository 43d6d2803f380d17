"""Page module (thin): see ui/screens/oversikt.py."""
from ui.screens import oversikt

oversikt.render()

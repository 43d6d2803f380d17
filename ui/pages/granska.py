"""Page module (thin): see ui/screens/granska.py."""
from ui.screens import granska

granska.render()

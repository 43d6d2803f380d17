"""Page module (thin): see ui/screens/overensstammelse.py."""
from ui.screens import overensstammelse

overensstammelse.render()

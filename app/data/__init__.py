"""The player's data: export (JSON, CSV zip), import (our JSON, a simple CSV), and reset with undo."""

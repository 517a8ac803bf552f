"""The nightly check-in: decks of steps, the session that walks them, its conversations."""

"""Speech recognition: the recognizer protocol, the engines, and their models."""

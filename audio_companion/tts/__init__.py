"""Text to speech: the synthesizer protocol, the engines, and the on-disk speech store."""

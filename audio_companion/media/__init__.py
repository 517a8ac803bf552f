"""Audio files: encoding, loudness, tags and chapters; knows nothing of podcasts."""

"""Articles to narrated episodes and a podcast feed."""

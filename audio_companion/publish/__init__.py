"""A published feed folder: the RSS, its manifest, cover, page, checks and server."""

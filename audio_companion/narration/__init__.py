"""Narration text: written article prose turned into what a voice should say.

`normalise.speakable` applies a pronunciation `lexicon.Lexicon` and then an ordered table of
rewriting rules (links, citations, abbreviations, symbols, numbers) so that any TTS engine,
espeak-ng or a neural voice, reads the words and never the punctuation.
"""

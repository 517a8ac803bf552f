"""Input limits shared by the article loader and the build settings.

A module of its own, at the bottom: the article package imports trafilatura
(and with it urllib3, which opens an IPv6 socket to probe for IPv6 support),
and every CLI process imports the build settings to register `build`; a
check-in must not pay for, or touch the network stack for, an HTML extractor.
"""

from __future__ import annotations

DEFAULT_MAX_INPUT_BYTES = 2_000_000
"""One article's text: a long book chapter is 100-300 KB, a whole novel about 1 MB."""

"""A feedgen extension for the iTunes tags feedgen writes in an outdated form.

Apple reads `itunes:explicit` as "true"/"false" today; feedgen's podcast
extension only accepts yes/no/clean. Rather than patch the XML afterwards,
this extension owns those elements and feedgen's own is left unset for them.
"""

from __future__ import annotations

from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"


class AppleExtension(BaseExtension):  # type: ignore[misc]
    def __init__(self) -> None:
        self._explicit: bool | None = None
        self._show_type: str | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"itunes": ITUNES_NS}

    def explicit(self, value: bool) -> None:
        self._explicit = value

    def show_type(self, value: str) -> None:
        if value not in ("episodic", "serial"):
            raise ValueError("itunes:type is 'episodic' or 'serial'")
        self._show_type = value

    def extend_rss(self, rss_feed: Any) -> Any:
        channel = rss_feed[0]
        if self._explicit is not None:
            xml_elem(f"{{{ITUNES_NS}}}explicit", channel).text = (
                "true" if self._explicit else "false"
            )
        if self._show_type:
            xml_elem(f"{{{ITUNES_NS}}}type", channel).text = self._show_type
        return rss_feed


class AppleEntryExtension(BaseEntryExtension):  # type: ignore[misc]
    def __init__(self) -> None:
        self._explicit: bool | None = None

    def explicit(self, value: bool) -> None:
        self._explicit = value

    def extend_rss(self, entry: Any) -> Any:
        if self._explicit is not None:
            xml_elem(f"{{{ITUNES_NS}}}explicit", entry).text = "true" if self._explicit else "false"
        return entry

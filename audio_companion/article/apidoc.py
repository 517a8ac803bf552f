"""A reference page's API entries, announced the way a narrator would, not spelled out.

Sphinx writes each function, method or class of a reference page as a
definition list: the term is the signature, the definition its description.
Read verbatim, the signature is noise: "json.dump(obj, fp, *, skipkeys equals
False, ensure_ascii equals True, …, **kw)" is forty words nobody can hold in
mind, and every optional one is explained again in the description that
follows ("If skipkeys is true …"). A narrator reading the page aloud says what
the entry is and what it needs: "Function json.dump, taking obj and fp, and 9
optional arguments." The required parameters are named because the
description speaks of them ("Serialize obj … to fp"); the optional ones are
counted, which tells how much detail follows without reciting it. An entry
with no parentheses (an attribute, "msg") is short already and is left as it is.

trafilatura flattens the term to its text, so the signature's parts come from
the page's own markup (Sphinx's ``dl.py > dt.sig``) and the announcement is
attached to trafilatura's term by its letters and digits.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

SIGNATURE = "ac-signature"  # attribute set on a definition term that is an API signature

# Sphinx's Python object types that take arguments, as a listener hears them.
KINDS = {
    "function": "Function",
    "method": "Method",
    "class": "Class",
    "exception": "Exception",
    "classmethod": "Class method",
    "staticmethod": "Static method",
    "decorator": "Decorator",
    "decoratormethod": "Decorator method",
}
_NAME = re.compile(r"^(\*{0,2})([^\W\d]\w*)")


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())


def key(text: str) -> str:
    """What a signature is matched by: its letters and digits (spacing, "¶" aside)."""
    return re.sub(r"[\W_]+", "", text).casefold()


def announce(kind: str, name: str, required: list[str], optional: int) -> str:
    """The entry as said: "Function json.dump, taking obj and fp, and 9 optional arguments"."""
    what = f"{KINDS[kind]} {name}"
    parts: list[str] = []
    if required:
        names = required[0] if len(required) == 1 else ", ".join(required[:-1])
        parts.append(names if len(required) == 1 else f"{names} and {required[-1]}")
    if optional:
        parts.append(f"{optional} optional argument" + ("s" if optional > 1 else ""))
    if not parts:
        return f"{what}, taking no arguments."
    joiner = ", and " if len(required) > 1 else " and "
    return f"{what}, taking {joiner.join(parts)}."


def _parameters(dt: etree._Element) -> tuple[list[str], int]:
    """The names of the required parameters, and how many are optional.

    A parameter with a default ("skipkeys=False") or inside Sphinx's optional
    brackets ("range(start, stop[, step])") is optional; the markers "*" and
    "/" and the catch-alls "*args", "**kw" are not parameters a caller names.
    """
    required: list[str] = []
    optional = 0
    depth = 0
    for el in dt.iter():
        if not isinstance(el.tag, str):
            continue
        classes = _classes(el)
        if "optional" in classes:
            depth += (el.text or "").count("[") - (el.text or "").count("]")
        elif el.tag == "em" and "sig-param" in classes:
            text = " ".join("".join(el.itertext()).split())
            m = _NAME.match(text)
            if not m or m.group(1):
                continue
            if depth > 0 or "=" in text:
                optional += 1
            else:
                required.append(m.group(2))
    return required, optional


def signatures(page: str) -> dict[str, str]:
    """Each API signature of a Sphinx page (by `key`) with its announcement."""
    if "sig-paren" not in page:  # no Sphinx signature: skip parsing the page again
        return {}
    try:
        # As bytes with the encoding said: a str with an XML declaration is refused.
        doc = lxml_html.document_fromstring(
            page.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8")
        )
    except (ValueError, etree.ParserError):
        return {}
    found: dict[str, str] = {}
    for dl in doc.iter("dl"):
        kinds = sorted(_classes(dl) & KINDS.keys())
        if "py" not in _classes(dl) or not kinds:
            continue
        for dt in dl:
            if dt.tag != "dt" or not any(
                "sig-paren" in _classes(el) for el in dt.iter() if isinstance(el.tag, str)
            ):
                continue
            name = "".join(
                "".join(el.itertext())
                for el in dt.iter()
                if isinstance(el.tag, str) and _classes(el) & {"sig-prename", "sig-name"}
            ).strip()
            if name:
                found[key(dt.text_content())] = announce(kinds[0], name, *_parameters(dt))
    return found


def mark_signatures(root: etree._Element, page: str) -> None:
    """Give each definition term of `root` that is an API signature its announcement."""
    announced = signatures(page)
    if not announced:
        return
    for item in root.iter("item"):
        if item.get("rend", "").startswith("dt"):
            said = announced.get(key("".join(item.itertext())))
            if said:
                item.set(SIGNATURE, said)

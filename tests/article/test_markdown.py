from audio_companion.article import BlockKind, parse_text

DOC = """# Evening Notes

A short teaser about evenings.

![a lamp](lamp.jpg)

## Winding Down

Dim the **lights** and put the [phone](https://example.com) away.

- Tea: something warm
- Music: something slow

### A Small Detail

> Tip: keep a notebook by the bed.

```
print("not read aloud")
```

## Sleeping Well

Sleep follows routine[^1].

## References

- Walker, M. (2017). Why We Sleep.
"""


def test_markdown_structure_and_inline_markup() -> None:
    article = parse_text(DOC, "markdown")
    assert article.title == "Evening Notes"
    assert article.teaser == "A short teaser about evenings."
    assert [s.title for s in article.sections] == ["Winding Down", "Sleeping Well"]
    first = article.sections[0]
    # The teaser is also the first paragraph read (issue 17: nothing a reader sees is lost).
    assert [b.text for b in first.blocks[:2]] == [
        "A short teaser about evenings.",
        "Dim the lights and put the phone away.",
    ]
    assert [(b.label, b.text) for b in first.blocks[2:]] == [
        ("Tea", "something warm"),
        ("Music", "something slow"),
    ]
    sub = first.subsections[0]
    assert sub.title == "A Small Detail"
    assert sub.blocks[0].kind is BlockKind.CALLOUT and sub.blocks[0].label == "Tip"
    assert sub.blocks[1].kind is BlockKind.CODE
    assert article.sections[1].blocks[0].text == "Sleep follows routine."
    assert article.citations == ("Walker, M. (2017). Why We Sleep.",)


def test_setext_headings() -> None:
    doc = "Title\n=====\n\nPart One\n--------\n\nText one.\n\nPart Two\n--------\n\nText two.\n"
    article = parse_text(doc, "markdown")
    assert article.title == "Title"
    assert [s.title for s in article.sections] == ["Part One", "Part Two"]

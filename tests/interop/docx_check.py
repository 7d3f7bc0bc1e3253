#!/usr/bin/env python3
"""Interoperability: open every DOCX with python-docx (Debian's python3-docx) and check that
numbered clause headings carry Word's Heading styles, the title is set and the text is Danish.
Heading numbers are Word's own (a multilevel list linked to the Heading styles): a numbered
heading has numPr (on the paragraph or its style) at the list level of its heading level, and
no typed number in its text."""
import re
import sys

import docx

NUMBERED = re.compile(r"^\d+(\.\d+)*\.? \S")

failed = 0
for path in sys.argv[1:]:
    d = docx.Document(path)
    def num_pr(p):
        """(ilvl, numId) of the paragraph's own numPr, else its style's; None if neither."""
        for el in (p._p.pPr, p.style.element.pPr if p.style is not None else None):
            np = el.numPr if el is not None else None
            if np is not None and np.numId is not None:
                return (np.ilvl.val if np.ilvl is not None else 0, np.numId.val)
        return None
    heading_paras = [p for p in d.paragraphs if p.style.name.startswith(("Heading", "Overskrift")) and p.text.strip()]
    heads = [(p.style.name, p.text, num_pr(p)) for p in heading_paras if num_pr(p) and num_pr(p)[1] != 0]
    problems = []
    if not heads:
        problems.append("no numbered Heading paragraphs")
    for style, text, (ilvl, _num) in heads:
        level = int(style.split()[-1])
        if ilvl + 1 != level:
            problems.append(f"'{text}' has style {style} at list level {ilvl}")
        if NUMBERED.match(text):
            problems.append(f"'{text}': a typed number in a numbered heading")
    if d.core_properties.title in (None, ""):
        problems.append("no title property")
    if d.core_properties.language != "da-DK":
        problems.append(f"language {d.core_properties.language!r}")
    if not any(c in "".join(p.text for p in d.paragraphs) for c in "æøå"):
        problems.append("no Danish letters found")
    status = "ok" if not problems else "FAIL"
    failed += bool(problems)
    print(f"{status}: {path}: {len(heads)} headings" + ("" if not problems else " — " + "; ".join(problems[:5])))
sys.exit(1 if failed else 0)

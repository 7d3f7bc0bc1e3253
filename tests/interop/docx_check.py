#!/usr/bin/env python3
"""Interoperability: open every DOCX with python-docx (Debian's python3-docx) and check that
numbered clause headings carry Word's Heading styles, the title is set and the text is Danish."""
import re
import sys

import docx

NUMBERED = re.compile(r"^\d+(\.\d+)*\.? \S")

failed = 0
for path in sys.argv[1:]:
    d = docx.Document(path)
    heads = [(p.style.name, p.text) for p in d.paragraphs if NUMBERED.match(p.text) and p.style.name.startswith(("Heading", "Overskrift"))]
    numbered_body = [p.text for p in d.paragraphs if NUMBERED.match(p.text) and len(p.text) < 120 and not p.style.name.startswith(("Heading", "Overskrift", "TOC", "List"))]
    problems = []
    if not heads:
        problems.append("no numbered Heading paragraphs")
    for style, text in heads:
        level = int(style.split()[-1])
        number = text.split()[0].rstrip(".")
        if number.count(".") + 1 != level:
            problems.append(f"'{text}' has style {style}")
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

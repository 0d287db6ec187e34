"""What a reader needs is in the repository: the README and docs/ point only to files
that exist, and the glossary explains the field's words."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs").glob("*.md"))


@pytest.mark.parametrize("page", [ROOT / "README.md", *DOCS], ids=lambda p: p.name)
def test_every_document_a_page_names_is_in_the_repository(page):
    text = page.read_text(encoding="utf-8")
    named = set(re.findall(r"[\w./-]*\.md\b", text))
    missing = [
        name
        for name in sorted(named)
        if not any((base / name).exists() for base in (ROOT, ROOT / "docs", page.parent))
    ]
    assert missing == []


def test_the_readme_sends_the_reader_to_the_design_and_the_glossary():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    reading = text.split("## Where to read next", 1)[1].split("\n## ", 1)[0]
    assert "`docs/design.md`" in reading
    assert "`docs/glossary.md`" in reading


@pytest.mark.parametrize(
    "word",
    [
        "Academy",
        "Activity",
        "Charter",
        "Coverage",
        "Credit note",
        "Employer contribution",
        "FEC",
        "Fee",
        "Gross / net",
        "Guarantee fund",
        "Member",
        "Rollup",
        "Rule pack",
        "Tier",
    ],
)
def test_the_glossary_explains_the_fields_words(word):
    text = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    match = re.search(rf"^\*\*{re.escape(word)}\.\*\* (.+?)(?:\n\n|\Z)", text, re.M | re.S)
    assert match, f"{word} is not in the glossary"
    sentences = re.findall(r"[.!?](?:\s|$)", match.group(1))
    assert 1 <= len(sentences) <= 3, f"{word}: {len(sentences)} sentences"

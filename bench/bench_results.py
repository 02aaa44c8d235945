"""bench/RESULTS.md: each benchmark owns one section between its markers and rewrites only that one."""

from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")


def markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:begin -->", f"<!-- {name}:end -->"


def write_section(name: str, section: str) -> None:
    """Replace the section between ``name``'s markers (``section`` includes them), or append it."""
    begin, end = markers(name)
    section = section.rstrip("\n") + "\n"
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n\n"
    if begin in text and end in text:
        before, rest = text.split(begin, 1)
        after = rest.split(end, 1)[1].lstrip("\n")
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text)

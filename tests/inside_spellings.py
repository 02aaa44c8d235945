"""Spellings of an address inside (issue 13 item 1) that a resolver turns into loopback or 0.0.0.0 although no
check of the host as written sees it: decimal, hexadecimal, octal, short forms, IPv4 inside IPv6, a trailing dot."""

INSIDE_SPELLINGS = (
    "2130706433",
    "0x7f000001",
    "0177.0.0.1",
    "127.1",
    "0",
    "[::127.0.0.1]",
    "[::ffff:127.0.0.1]",
    "localhost.",
)

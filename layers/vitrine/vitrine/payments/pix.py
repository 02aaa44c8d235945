"""The Pix BR Code: the EMV QRCPS-MPM payload behind a Pix QR code and its copy-paste text.

Each field is ID (2 digits) + length (2 digits) + value; templates (26, 62) nest fields the same way. A dynamic
charge points at a location URL (26-25) where the payer's bank reads the charge. The last field, 63, is the
CRC16/CCITT-FALSE (poly 0x1021, init 0xFFFF) of everything before its value, including ``6304``, in upper-case hex.
Built by the sandbox gateway; read back by tests and by anyone who wants to check a code before showing it.
"""

import unicodedata

PIX_GUI = "br.gov.bcb.pix"
MAX_NAME = 25
MAX_CITY = 15
MAX_URL = 77
MAX_TXID = 25
# The spec's placeholder txid for a dynamic code whose charge the location URL already identifies.
NO_TXID = "***"


def crc16_ccitt(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def build_br_code(
    *, amount: int, merchant_name: str, merchant_city: str, location_url: str, txid: str = NO_TXID
) -> str:
    """A single-use dynamic BR Code for ``amount`` centavos, pointing at ``location_url`` (no scheme)."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError("amount is a positive integer of centavos")
    location = location_url.removeprefix("https://").removeprefix("http://")
    if not location or len(location) > MAX_URL:
        raise ValueError(f"the location URL has 1 to {MAX_URL} characters without its scheme")
    if txid != NO_TXID and not (txid.isascii() and txid.isalnum() and len(txid) <= MAX_TXID):
        raise ValueError(f"a txid is 1 to {MAX_TXID} letters and digits")
    reais, cents = divmod(amount, 100)
    payload = "".join(
        [
            _field("00", "01"),
            _field("01", "12"),
            _field("26", _field("00", PIX_GUI) + _field("25", location)),
            _field("52", "0000"),
            _field("53", "986"),
            _field("54", f"{reais}.{cents:02d}"),
            _field("58", "BR"),
            _field("59", _ascii(merchant_name, MAX_NAME)),
            _field("60", _ascii(merchant_city, MAX_CITY)),
            _field("62", _field("05", txid)),
            "6304",
        ]
    )
    return payload + f"{crc16_ccitt(payload.encode('ascii')):04X}"


def read_fields(code: str) -> dict[str, str]:
    """The top-level fields of a BR Code by ID, after checking its CRC; raises ``ValueError`` if malformed."""
    if len(code) < 8 or code[-8:-4] != "6304":
        raise ValueError("a BR Code ends with its CRC field 6304")
    expected = f"{crc16_ccitt(code[:-4].encode('ascii')):04X}"
    if code[-4:].upper() != expected:
        raise ValueError(f"CRC mismatch: the code says {code[-4:]}, its content gives {expected}")
    return read_tlv(code)


def read_tlv(text: str) -> dict[str, str]:
    """ID -> value of consecutive TLV fields (a template's value is read with this again)."""
    fields: dict[str, str] = {}
    position = 0
    while position < len(text):
        header = text[position : position + 4]
        if len(header) < 4 or not header.isdigit():
            raise ValueError(f"malformed field header at position {position}: {header!r}")
        length = int(header[2:])
        value = text[position + 4 : position + 4 + length]
        if len(value) != length:
            raise ValueError(f"field {header[:2]} is cut short")
        fields[header[:2]] = value
        position += 4 + length
    return fields


def _field(field_id: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"field {field_id} is longer than 99 characters")
    return f"{field_id}{len(value):02d}{value}"


def _ascii(text: str, limit: int) -> str:
    """Bank apps read names and cities as plain ASCII: accents are dropped, not mangled."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    plain = " ".join(plain.split())[:limit].strip()
    if not plain:
        raise ValueError(f"{text!r} has no ASCII letters left to show")
    return plain

"""The payment documents the sandbox hands out: card numbers checked by Luhn, the boleto's FEBRABAN barcode, its
linha digitável, barcode image and one-page PDF, and the Pix QR code image (the BR Code itself is
``vitrine.payments.pix``'s). Pillow and qrcode are imported when an image is drawn, not before."""

import hashlib
import io
from datetime import date

BOLETO_BANK = "341"


# ---------------------------------------------------------------- cards


def passes_luhn(number: str) -> bool:
    total = 0
    for index, digit in enumerate(reversed(number)):
        value = int(digit) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def card_brand(number: str) -> str:
    if number.startswith(("4011", "4312", "4389", "4514", "4576", "5041", "5066", "5067", "5090", "6277", "6362")):
        return "Elo"
    if number.startswith("4"):
        return "Visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or "2221" <= number[:4] <= "2720":
        return "Mastercard"
    if number[:2] in {"34", "37"}:
        return "Amex"
    return "Unknown"


# ---------------------------------------------------------------- boleto: barcode, linha digitável, PDF


def boleto_barcode(amount: int, due: date, seed: str) -> str:
    """The 44-digit FEBRABAN barcode: bank, currency 9, check digit, due-date factor, amount, free field."""
    days = (due - date(1997, 10, 7)).days
    # The factor went past 9999 on 2025-02-22 and starts again at 1000 (FEBRABAN's rule).
    factor = days if days <= 9999 else (days - 10000) % 9000 + 1000
    free = str(int(hashlib.sha256(seed.encode()).hexdigest(), 16))[:25].rjust(25, "0")
    body = f"{BOLETO_BANK}9{factor:04d}{amount:010d}{free}"
    return body[:4] + str(_mod11(body)) + body[4:]


def boleto_line(barcode: str) -> str:
    free = barcode[19:]
    one = barcode[:4] + free[:5]
    two, three = free[5:15], free[15:25]
    one, two, three = (part + str(_mod10(part)) for part in (one, two, three))
    return f"{one[:5]}.{one[5:]} {two[:5]}.{two[5:]} {three[:5]}.{three[5:]} {barcode[4]} {barcode[5:19]}"


def _mod10(digits: str) -> int:
    total = 0
    for index, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if index % 2 == 0 else 1)
        total += value // 10 + value % 10
    return (10 - total % 10) % 10


def _mod11(digits: str) -> int:
    total = sum(int(d) * (2 + index % 8) for index, d in enumerate(reversed(digits)))
    check = 11 - total % 11
    return 1 if check in (0, 10, 11) else check


# Interleaved 2 of 5, the boleto's barcode: each pair of digits is five bars (first digit) and five spaces.
_ITF = ["nnwwn", "wnnnw", "nwnnw", "wwnnn", "nnwnw", "wnwnn", "nwwnn", "nnnww", "wnnwn", "nwnwn"]


def barcode_png(digits: str) -> bytes:
    from PIL import Image, ImageDraw

    widths = [1, 1, 1, 1]  # start: narrow bar, space, bar, space
    for first, second in zip(digits[::2], digits[1::2], strict=True):
        for bar, space in zip(_ITF[int(first)], _ITF[int(second)], strict=True):
            widths += [3 if bar == "w" else 1, 3 if space == "w" else 1]
    widths += [3, 1, 1]  # stop: wide bar, narrow space, narrow bar
    scale, quiet, height = 2, 20, 100
    image = Image.new("1", (sum(widths) * scale + 2 * quiet, height), 1)
    draw = ImageDraw.Draw(image)
    x = quiet
    for index, width in enumerate(widths):
        if index % 2 == 0:
            draw.rectangle([x, 0, x + width * scale - 1, height - 1], fill=0)
        x += width * scale
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def boleto_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with these lines of text: enough for a browser to show a printable boleto."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = "BT /F1 12 Tf 56 780 Td 16 TL " + " ".join(f"({escape(line)}) '" for line in lines) + " ET"
    stream = text.encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    document = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(document))
        document += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(document)
    document += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    document += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    document += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(document)


def barcode_from_line(line: str) -> str:
    digits = "".join(ch for ch in line if ch.isdigit())
    return digits[:4] + digits[32] + digits[33:47] + digits[4:9] + digits[10:20] + digits[21:31]


# ---------------------------------------------------------------- Pix


def pix_qr_png(text: str) -> bytes:
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return buffer.getvalue()

"""The Pix BR Code: CRC16/CCITT-FALSE, the EMV fields and their lengths, and reading a code back."""

import pytest

from vitrine.payments.pix import build_br_code, crc16_ccitt, read_fields, read_tlv

# Real codes from pagar.me's documentation and a recorded pagar.me answer: their CRCs are known good.
PAGARME_DOCS_CODE = (
    "00020101021226840014br.gov.bcb.pix2562pix-h.stone.com.br/pix/v2/e6157b05-4987-4635-af58-968f165f386d"
    "52040000530398654043.505802BR5914EAD PLATAFORMA6014RIO DE JANEIRO62290525086dc8785e1f4ccaafed11fbd63049D7C"
)
RECORDED_CODE = (
    "00020101021226820014br.gov.bcb.pix2560pix.stone.com.br/pix/v2/cfc63d4c-8b48-4309-998e-994e6e49da62"
    "52040000530398654041.005802BR5925FanTicket Brasil Servicos6014RIO DE JANEIRO62290525paclsynvximtdmt1fk34cd4a0"
    "630409D0"
)


def sandbox_code(**overrides) -> str:
    arguments = {
        "amount": 12345,
        "merchant_name": "Loja Demo",
        "merchant_city": "Sao Paulo",
        "location_url": "127.0.0.1:4000/pix/v2/abc123",
        "txid": "abc123",
    }
    return build_br_code(**{**arguments, **overrides})


@pytest.mark.parametrize(
    ("data", "crc"),
    [(b"123456789", 0x29B1), (b"", 0xFFFF), (b"A", 0xB915), (PAGARME_DOCS_CODE[:-4].encode(), 0x9D7C)],
)
def test_crc16_ccitt_false_matches_known_vectors(data, crc):
    assert crc16_ccitt(data) == crc


@pytest.mark.parametrize("code", [PAGARME_DOCS_CODE, RECORDED_CODE])
def test_real_codes_read_back_with_a_valid_crc(code):
    fields = read_fields(code)
    assert fields["00"] == "01" and fields["58"] == "BR" and fields["53"] == "986"
    assert read_tlv(fields["26"])["00"] == "br.gov.bcb.pix"


def test_a_built_code_has_every_field_in_order_with_its_length():
    code = sandbox_code()
    fields = read_fields(code)
    assert list(fields) == ["00", "01", "26", "52", "53", "54", "58", "59", "60", "62", "63"]
    assert fields["01"] == "12"  # single use: a dynamic charge
    account = read_tlv(fields["26"])
    assert account == {"00": "br.gov.bcb.pix", "25": "127.0.0.1:4000/pix/v2/abc123"}
    assert fields["52"] == "0000" and fields["53"] == "986" and fields["58"] == "BR"
    assert fields["54"] == "123.45"
    assert fields["59"] == "Loja Demo" and fields["60"] == "Sao Paulo"
    assert read_tlv(fields["62"]) == {"05": "abc123"}
    assert code.endswith("6304" + fields["63"]) and fields["63"] == fields["63"].upper()
    assert code[code.index("26") + 2 : code.index("26") + 4] == f"{len(fields['26']):02d}"


@pytest.mark.parametrize(("centavos", "text"), [(1, "0.01"), (100, "1.00"), (350, "3.50"), (123456789, "1234567.89")])
def test_the_amount_is_reais_with_two_decimals(centavos, text):
    assert read_fields(sandbox_code(amount=centavos))["54"] == text


def test_names_and_cities_are_plain_ascii_within_their_limits():
    fields = read_fields(
        sandbox_code(merchant_name="Calçados São João & Filhos Ltda.", merchant_city="Florianópolis SC")
    )
    assert fields["59"] == "Calcados Sao Joao & Filho"  # 25 characters
    assert fields["60"] == "Florianopolis S"  # 15 characters
    assert fields["59"].isascii() and fields["60"].isascii()


def test_the_scheme_is_left_out_of_the_location_and_the_placeholder_txid_is_the_default():
    code = build_br_code(
        amount=100, merchant_name="Loja", merchant_city="Recife", location_url="https://pix.example/qr/1"
    )
    fields = read_fields(code)
    assert read_tlv(fields["26"])["25"] == "pix.example/qr/1"
    assert read_tlv(fields["62"]) == {"05": "***"}


def test_a_changed_character_breaks_the_crc():
    code = sandbox_code()
    tampered = code.replace("123.45", "923.45")
    with pytest.raises(ValueError, match="CRC mismatch"):
        read_fields(tampered)


@pytest.mark.parametrize(
    "overrides",
    [
        {"amount": 0},
        {"amount": -5},
        {"amount": 10.5},
        {"amount": True},
        {"location_url": ""},
        {"location_url": "x" * 78},
        {"txid": "has space"},
        {"txid": "x" * 26},
        {"merchant_name": "店舗"},
    ],
)
def test_bad_arguments_are_refused(overrides):
    with pytest.raises(ValueError):
        sandbox_code(**overrides)


def test_malformed_codes_are_refused():
    with pytest.raises(ValueError):
        read_fields("000201")
    with pytest.raises(ValueError):
        read_tlv("0005abc")
    with pytest.raises(ValueError):
        read_tlv("xx02ab")

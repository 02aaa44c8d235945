import pytest

from vitrine.money import decimal_reais, format_brl, parse_brl


@pytest.mark.parametrize(
    ("centavos", "shown"),
    [
        (0, "R$ 0,00"),
        (5, "R$ 0,05"),
        (4990, "R$ 49,90"),
        (123456, "R$ 1.234,56"),
        (100000000, "R$ 1.000.000,00"),
        (-100, "-R$ 1,00"),
    ],
)
def test_prices_are_shown_the_brazilian_way(centavos, shown):
    assert format_brl(centavos) == shown


@pytest.mark.parametrize("not_centavos", [49.9, "4990", True, None])
def test_only_integer_centavos_are_money(not_centavos):
    with pytest.raises(TypeError):
        format_brl(not_centavos)
    with pytest.raises(TypeError):
        decimal_reais(not_centavos)


@pytest.mark.parametrize(
    ("centavos", "amount"), [(0, "0.00"), (5, "0.05"), (12990, "129.90"), (123456789, "1234567.89"), (-100, "-1.00")]
)
def test_a_machine_read_amount_is_decimal_reais_with_a_point_and_no_grouping(centavos, amount):
    # Open Graph's product:price:amount, as Facebook's and WhatsApp's readers parse it.
    assert decimal_reais(centavos) == amount


@pytest.mark.parametrize(
    ("text", "centavos"),
    [("R$ 1.234,56", 123456), ("1234,5", 123450), ("49", 4900), ("-R$ 1,00", -100), ("R$\u00a01.000", 100000)],
)
def test_brl_text_parses_back_to_centavos(text, centavos):
    assert parse_brl(text) == centavos


@pytest.mark.parametrize("text", ["", "abc", "1,234.56", "12.34", "1.2345,00", "1,234", "R$ 1.23,00"])
def test_text_that_is_not_a_brl_amount_is_refused(text):
    with pytest.raises(ValueError):
        parse_brl(text)


def test_format_and_parse_round_trip():
    for centavos in (0, 1, 99, 100, 123456789, 999999999999):
        assert parse_brl(format_brl(centavos)) == centavos

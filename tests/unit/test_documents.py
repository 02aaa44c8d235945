import pytest
from pydantic import BaseModel, ValidationError

from vitrine.documents import (
    Cnpj,
    Cpf,
    CpfOrCnpj,
    NfeAccessKey,
    is_valid_cnpj,
    is_valid_cpf,
    is_valid_nfe_access_key,
)

VALID_CPFS = ["529.982.247-25", "52998224725", "111.444.777-35"]
VALID_CNPJS = ["11.222.333/0001-81", "11222333000181", "45.723.174/0001-10"]


@pytest.mark.parametrize("cpf", VALID_CPFS)
def test_valid_cpfs_pass(cpf):
    assert is_valid_cpf(cpf)


@pytest.mark.parametrize(
    "cpf", ["529.982.247-24", "111.111.111-11", "00000000000", "5299822472", "529982247255", "abc", ""]
)
def test_cpfs_with_wrong_check_digits_repeated_digits_or_length_fail(cpf):
    assert not is_valid_cpf(cpf)


@pytest.mark.parametrize("cnpj", VALID_CNPJS)
def test_valid_cnpjs_pass(cnpj):
    assert is_valid_cnpj(cnpj)


@pytest.mark.parametrize("cnpj", ["11.222.333/0001-80", "11111111111111", "1122233300018", ""])
def test_invalid_cnpjs_fail(cnpj):
    assert not is_valid_cnpj(cnpj)


class Buyer(BaseModel):
    cpf: Cpf
    company: Cnpj | None = None
    document: CpfOrCnpj | None = None


def test_models_normalise_documents_to_digits():
    buyer = Buyer(cpf="529.982.247-25", company="11.222.333/0001-81", document="111.444.777-35")
    assert (buyer.cpf, buyer.company, buyer.document) == ("52998224725", "11222333000181", "11144477735")


def test_an_invalid_cpf_is_a_validation_error_naming_the_field():
    with pytest.raises(ValidationError) as caught:
        Buyer(cpf="529.982.247-24")
    (error,) = caught.value.errors()
    assert error["loc"] == ("cpf",)
    assert "check digits" in error["msg"]


def test_a_document_of_neither_length_is_refused():
    with pytest.raises(ValidationError, match="11 digits"):
        Buyer(cpf="529.982.247-25", document="123")


# The access key of the NF-e manual's example (Manual de Orientação do Contribuinte): check digit 5.
MANUAL_NFE_KEY = "52060433009911002506550120000007800267301615"


def test_the_nfe_manuals_example_key_passes():
    assert is_valid_nfe_access_key(MANUAL_NFE_KEY)


@pytest.mark.parametrize(
    "key",
    [
        MANUAL_NFE_KEY[:43] + "4",  # wrong check digit
        MANUAL_NFE_KEY[:43],
        MANUAL_NFE_KEY + "5",
        "5206 0433 0099 1100 2506 5501 2000 0007 8002 6730 1615",  # printed in groups: send the digits
        "\u0665" + MANUAL_NFE_KEY[1:],  # a non-ASCII digit
        "",
    ],
    ids=["check-digit", "43-digits", "45-digits", "grouped", "non-ascii", "empty"],
)
def test_nfe_keys_of_the_wrong_shape_or_check_digit_fail(key):
    assert not is_valid_nfe_access_key(key)


def test_an_invalid_nfe_key_is_a_validation_error():
    class Invoice(BaseModel):
        access_key: NfeAccessKey

    assert Invoice(access_key=MANUAL_NFE_KEY).access_key == MANUAL_NFE_KEY
    with pytest.raises(ValidationError) as caught:
        Invoice(access_key=MANUAL_NFE_KEY[:43] + "4")
    assert caught.value.errors()[0]["loc"] == ("access_key",)

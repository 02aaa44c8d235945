"""The sandbox's CEPs, in ViaCEP's answer shape: plausible addresses, one or more in each of the demo merchant's
delivery ranges (``local_stack.seed.DEMO_SETTINGS``: 01000-000..05999-999, 06000-000..19999-999, 20000-000 up),
and a city-wide CEP (no street, no district), as ViaCEP answers for small towns."""

from typing import Any

# cep | logradouro | complemento | bairro | localidade | uf | ibge | gia | ddd | siafi
_TABLE = """
01310-100 | Avenida Paulista | de 612 a 1510 - lado par | Bela Vista | São Paulo | SP | 3550308 | 1004 | 11 | 7107
01001-000 | Praça da Sé | lado ímpar | Sé | São Paulo | SP | 3550308 | 1004 | 11 | 7107
04538-133 | Avenida Brigadeiro Faria Lima | de 3253 ao fim - lado ímpar | Itaim Bibi | São Paulo | SP | 3550308 | 1004
  | 11 | 7107
13010-050 | Rua Barão de Jaguara |  | Centro | Campinas | SP | 3509502 | 2446 | 19 | 6291
20040-002 | Avenida Rio Branco | de 1 a 79 - lado ímpar | Centro | Rio de Janeiro | RJ | 3304557 |  | 21 | 6001
30130-010 | Praça Sete de Setembro |  | Centro | Belo Horizonte | MG | 3106200 |  | 31 | 4123
37925-000 |  |  |  | Piumhi | MG | 3151206 |  | 37 | 4957
"""
_FIELDS = ("cep", "logradouro", "complemento", "bairro", "localidade", "uf", "ibge", "gia", "ddd", "siafi")
_STATES = {"SP": "São Paulo", "RJ": "Rio de Janeiro", "MG": "Minas Gerais"}


def _address(line: str) -> dict[str, Any]:
    values = dict(zip(_FIELDS, (value.strip() for value in line.split("|")), strict=True))
    # The fields ViaCEP added in 2024: the unit (for large receivers), the state's name and its region.
    return {**values, "unidade": "", "estado": _STATES[values["uf"]], "regiao": "Sudeste"}


SANDBOX_ADDRESSES: dict[str, dict[str, Any]] = {
    address["cep"].replace("-", ""): address
    for address in map(_address, _TABLE.replace("\n  |", " |").strip().splitlines())
}
FAILING_CEP = "99999500"

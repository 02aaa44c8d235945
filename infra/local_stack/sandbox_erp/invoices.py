"""The NF-e the sandbox ERP issues for an order it invoices: São Paulo (IBGE 35), model 55, series 1, normal
emission. The check digit is the core's (``vitrine.documents.nfe_check_digit``), the one Vitrine validates with."""

from datetime import datetime

from vitrine.documents import nfe_check_digit

NFE_STATE_CODE = "35"
NFE_MODEL = "55"
NFE_SERIES = 1
NFE_EMISSION = "1"


def nfe_access_key(*, number: int, series: int, issued: datetime, cnpj: str, code: int) -> str:
    """The 44 digits of an NF-e's chave de acesso: cUF, AAMM, CNPJ, mod, série, nNF, tpEmis, cNF and cDV."""
    first_43 = f"{NFE_STATE_CODE}{issued:%y%m}{cnpj:0>14}{NFE_MODEL}{series:03d}{number:09d}{NFE_EMISSION}{code:08d}"
    return first_43 + nfe_check_digit(first_43)

"""Money in BRL as `Decimal`, read from the forms people type (`R$ 1.234,56`, `1234.56`, `1,5 mil`)."""

from decimal import Decimal, InvalidOperation


def parse_brl(text: str) -> Decimal:
    """Parse an amount: pt-BR (`1.234,56`) and plain (`1234.56`) forms, with or without `R$`.

    A single separator followed by exactly three digits is a thousands separator (`1.500` is
    fifteen hundred), as Brazilians write it.
    """
    cleaned = text.strip().replace("R$", "").replace("\u00a0", "").replace(" ", "")
    if not cleaned:
        raise ValueError("empty amount")
    negative = cleaned.startswith("-")
    cleaned = cleaned.lstrip("+-")
    if "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif "," in cleaned:  # pt-BR decimal comma; several commas can only be thousands
        cleaned = cleaned.replace(",", "") if cleaned.count(",") > 1 else cleaned.replace(",", ".")
    elif cleaned.count(".") > 1 or (
        cleaned.count(".") == 1 and len(cleaned.rpartition(".")[2]) == 3
    ):
        cleaned = cleaned.replace(".", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not an amount: {text!r}") from None
    return (-value if negative else value).quantize(Decimal("0.01"))

"""How Brazilians write money, durations and weekdays: one place for every text a seller reads."""

from decimal import Decimal

WEEKDAYS_PT = ("segunda", "terça", "quarta", "quinta", "sexta", "sábado", "domingo")


def brl(value: Decimal | float | int) -> str:
    """`R$ 1.234,56`."""
    text = f"{Decimal(value):,.2f}"
    return "R$ " + text.replace(",", "_").replace(".", ",").replace("_", ".")


def decimal_pt(value: float) -> str:
    """`5,4`: a short decimal with the Brazilian comma."""
    return f"{value:g}".replace(".", ",")


def duration_pt(seconds: float) -> str:
    """`12 min`, `3,5 h`, `2 dias`: a wait as a seller says it."""
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min"
    if seconds < 86400:
        return f"{decimal_pt(round(seconds / 3600, 1))} h"
    return f"{decimal_pt(round(seconds / 86400, 1))} dias"

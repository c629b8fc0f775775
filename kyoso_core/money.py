"""Amounts of money as people read them."""


def format_yen(value) -> str:
    """Integer yen with thousands separators: ¥110,000 (−¥2,500 for a negative amount); "" for no amount."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    return f"−¥{-amount:,}" if amount < 0 else f"¥{amount:,}"

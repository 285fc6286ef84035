"""A figure against its comparison base (DESIGN.md, Periods): the one place for the arithmetic.

- `percent_change(value, base)`: `(value - base) / base` in percent, undefined ("n/a") on a zero base;
- `poisson_z(value, base)`: the small-base test for counts, `2(sqrt(value) - sqrt(base))`;
  `within_normal_variation(z)`: |z| < `NORMAL_VARIATION` (3 -> 5 is +67 % and no alarm);
- `a_year_earlier(day)`: the same day of the previous year, the default base's dates.

Model-free: the results summary (reporting.figures) and the apps' own pages (supervision.compstat)
compute their changes here, so a figure reads the same wherever it is shown.
"""

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")
# |z| below this: "within normal variation" (DESIGN.md, Periods).
NORMAL_VARIATION = 2


def percent_change(value, base) -> Decimal | None:
    """(value - base) / base in percent, one decimal; None (shown "n/a") when either is missing or
    the base is 0: never infinity, never 0 %."""
    if value is None or base is None or base == 0:
        return None
    return (Decimal(value - base) * 100 / Decimal(base)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def poisson_z(value, base) -> float | None:
    """DESIGN.md's small-base test for counts: 2(sqrt(value) - sqrt(base))."""
    if value is None or base is None or value < 0 or base < 0:
        return None
    return round(2 * (math.sqrt(value) - math.sqrt(base)), 2)


def within_normal_variation(z: float | None) -> bool | None:
    """|z| < 2: a change a count of this size shows by chance (None: no z to judge by)."""
    return None if z is None else abs(z) < NORMAL_VARIATION


def a_year_earlier(day: date) -> date:
    """The same day one year earlier; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)

"""Numbers and sentences of the brief, in Bahasa Indonesia (``id``) or English (``en``).

Numbers follow each language's habit: ``81,31`` and ``Rp 209 juta`` in Indonesian, ``81.31`` and
``Rp 209 million`` in English. An effect is said to be *detected* only when its interval
excludes 0; an interval containing 0 is reported as "not detected", never as "no effect".
"""

from __future__ import annotations

import math

from asnsim.analysis import HIGHER_IS_BETTER
from asnsim.labels import label

__all__ = [
    "better_when_higher",
    "bounds",
    "detected",
    "difference_sentence",
    "interval",
    "num",
    "outcome_name",
    "plain",
    "rupiah",
    "scaled",
    "share",
    "size",
    "unit_of",
]

_UNITS = {
    "ikm": "points",
    "ikm_true": "points",
    "ikm_seekers": "points",
    "ip_asn": "points",
    "wait_mean_days": "days",
    "wait_p90_days": "days",
    "wait": "days",
    "on_time_share": "share",
    "abandon_rate": "share",
    "rework_rate": "share",
    "matched_share": "share",
    "jp20_share": "share",
    "competency_mean": "index",
    "motivation_mean": "index",
    "total_spend": "rp",
    "cum_total_spend": "rp",
    "cost": "rp",
    "cost_per_year": "rp",
    "cost_per_ikm_point": "rp",
}

_BIG = {
    "en": ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")),
    "id": ((1e12, "triliun"), (1e9, "miliar"), (1e6, "juta")),
}

_SENTENCES = {
    "raises": ("raises", "menaikkan"),
    "lowers": ("lowers", "menurunkan"),
    "better": ("better", "lebih baik"),
    "worse": ("worse", "lebih buruk"),
    "interval": ("95% interval {lo} to {hi}", "interval 95%: {lo} sampai {hi}"),
    "detected": (
        "{variant} {verb} {outcome} by {size} ({interval}): {judgement}",
        "{variant} {verb} {outcome} sebesar {size} ({interval}): {judgement}",
    ),
    "not_detected": (
        "{variant}: no effect on {outcome} was detected ({interval}, which includes 0); this "
        "does not show that there is no effect",
        "{variant}: pengaruh terhadap {outcome} tidak terdeteksi ({interval}, mencakup 0); ini "
        "tidak berarti pengaruhnya tidak ada",
    ),
}


def _say(key: str, lang: str, **fields: object) -> str:
    text = _SENTENCES[key][0 if lang == "en" else 1]
    return text.format(**fields) if fields else text


def num(value: float, lang: str = "en", digits: int = 2, sign: bool = False) -> str:
    """A number with ``digits`` decimals: ``1,234.5`` (en) or ``1.234,5`` (id); NaN is ``-``."""
    if value is None or not math.isfinite(value):
        return "-"
    text = f"{value:{'+' if sign else ''},.{digits}f}"
    if text.lstrip("+-").strip("0.,") == "":  # -0.00 is 0.00
        text = text.replace("-", "+" if sign else "")
    if lang == "id":
        text = text.translate(str.maketrans({",": ".", ".": ","}))
    return text


def plain(value: float, lang: str = "en") -> str:
    """A number with up to 4 significant digits and no trailing zeros: ``0.75``, ``40``."""
    if value is None or not math.isfinite(value):
        return "-"
    text = f"{value:.4g}"
    return text.replace(".", ",") if lang == "id" else text


def rupiah(value: float, lang: str = "en", sign: bool = False) -> str:
    """Rupiah in words for big sums: ``Rp 209 million`` (en), ``Rp 209 juta`` (id)."""
    if value is None or not math.isfinite(value):
        return "-"
    size = abs(value)
    for unit, word in _BIG[lang]:
        if size >= unit:
            amount = value / unit
            digits = 0 if abs(amount) >= 100 else 1 if abs(amount) >= 10 else 2
            return f"Rp {num(amount, lang, digits, sign)} {word}"
    return f"Rp {num(value, lang, 0, sign)}"


def share(value: float, lang: str = "en", digits: int = 0) -> str:
    """A share as a percentage: ``72%``."""
    return f"{num(100 * value, lang, digits)}%"


def unit_of(outcome: str) -> str:
    """The kind of number: ``points``, ``days``, ``share``, ``index``, ``rp`` or ``count``."""
    return _UNITS.get(outcome, "count")


def outcome_name(outcome: str, lang: str = "en") -> str:
    """An outcome's name for people (its column name if the package has no label for it)."""
    return label(f"outcome_{outcome}", lang, default=outcome.replace("_", " "))


def better_when_higher(outcome: str) -> bool:
    """Whether more of ``outcome`` is better (waits, abandonment, backlog and costs: less)."""
    if outcome in HIGHER_IS_BETTER:
        return HIGHER_IS_BETTER[outcome]
    lowered = outcome.lower()
    return not any(word in lowered for word in ("cost", "wait", "spend", "backlog", "regret"))


def _digits(value: float, digits: int) -> int:
    """``digits``, or more for a value that would round to 0 (so -0.0003 is not shown as 0)."""
    while digits < 6 and value != 0 and math.isfinite(value) and round(abs(value), digits) == 0:
        digits += 1
    return digits


def scaled(value: float, outcome: str, lang: str = "en", sign: bool = False) -> str:
    """A value of ``outcome`` in its unit, without the unit's name (shares in percent)."""
    unit = unit_of(outcome)
    if unit == "rp":
        return rupiah(value, lang, sign)
    if unit == "share":
        percent = 100 * value
        return num(percent, lang, _digits(percent, 1), sign) + ("%" if not sign else "")
    digits = {"count": 1 if abs(value) < 100 else 0, "index": 3}.get(unit, 2)
    return num(value, lang, _digits(value, digits), sign)


def size(value: float, outcome: str, lang: str = "en") -> str:
    """The size of a difference with its unit: ``0.11 points``, ``5.7 percentage points``."""
    unit = unit_of(outcome)
    if unit == "rp":
        return rupiah(abs(value), lang)
    if unit == "share":
        return f"{scaled(abs(value), outcome, lang).rstrip('%')} {label('unit_pp', lang)}"
    if unit in ("points", "days"):
        return f"{scaled(abs(value), outcome, lang)} {label(f'unit_{unit}', lang)}"
    return scaled(abs(value), outcome, lang)


def bounds(low: float, high: float, outcome: str, lang: str = "en") -> str:
    """An interval's two ends for a table cell: ``+0.07 – +0.16``."""
    return f"{scaled(low, outcome, lang, sign=True)} – {scaled(high, outcome, lang, sign=True)}"


def detected(low: float, high: float) -> bool:
    """True when the interval ``[low, high]`` excludes 0 (an effect is detected)."""
    return bool(math.isfinite(low) and math.isfinite(high) and (low > 0 or high < 0))


def interval(low: float, high: float, outcome: str, lang: str = "en") -> str:
    """``95% interval +0.07 to +0.16`` (en) or ``interval 95%: +0,07 sampai +0,16`` (id)."""
    lo, hi = (scaled(v, outcome, lang, sign=True) for v in (low, high))
    if unit_of(outcome) == "share":
        lo, hi = (f"{v} {label('unit_pp', lang)}" for v in (lo, hi))
    return _say("interval", lang, lo=lo, hi=hi)


def difference_sentence(
    variant: str, outcome: str, diff: float, low: float, high: float, lang: str = "en"
) -> str:
    """One variant's paired difference from the baseline on one outcome, in plain words.

    The effect is named (with its size, interval and whether it is better or worse) only
    when its interval excludes 0; otherwise the sentence says it was not detected.
    """
    name = outcome_name(outcome, lang)
    span = interval(low, high, outcome, lang)
    if not detected(low, high):
        return _say("not_detected", lang, variant=variant, outcome=name, interval=span)
    good = (diff > 0) == better_when_higher(outcome)
    return _say(
        "detected",
        lang,
        variant=variant,
        verb=_say("raises" if diff > 0 else "lowers", lang),
        outcome=name,
        size=size(diff, outcome, lang),
        interval=span,
        judgement=_say("better" if good else "worse", lang),
    )

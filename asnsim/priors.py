"""Priors of the uncertain assumptions (a scenario's ``uncertainties``).

An uncertainty is either ``[low, high]`` (a uniform prior, as before) or a mapping naming a
distribution and its parameters::

    uncertainties:
      assumptions.mismatch_ceiling: [0.75, 0.9]                          # uniform
      assumptions.pppk_exit_rate: {dist: normal, mean: 0.035, sd: 0.01, low: 0.0, high: 0.1}
      assumptions.motivation_productivity: {dist: lognormal, median: 0.5, sigma: 0.3}
      training.routine.share: {dist: beta, a: 4, b: 7}                 # on [0, 1]
      assumptions.field_match_bonus: {dist: beta, a: 2, b: 2, low: 0.05, high: 0.3}

``normal`` may be truncated to ``[low, high]``; ``beta`` lives on ``[low, high]`` (default
``[0, 1]``); ``lognormal`` is positive and takes no bounds. The sensitivity analysis samples
uniformly over :meth:`Prior.bounds`; calibration (:mod:`asnsim.calibration`) uses the
distribution itself.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator
from scipy import stats

__all__ = ["BOUNDS_QUANTILES", "Prior", "UncertaintyValue", "as_prior", "parse_prior"]

BOUNDS_QUANTILES = (0.005, 0.995)
"""Quantiles taken as the bounds of an unbounded prior (normal, lognormal) for sensitivity."""

_PARAMETERS = {
    "uniform": ({"low", "high"}, set()),
    "normal": ({"mean", "sd"}, {"low", "high"}),
    "lognormal": ({"median", "sigma"}, set()),
    "beta": ({"a", "b"}, {"low", "high"}),
}


class Prior(BaseModel):
    """A prior distribution of one uncertain assumption."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    dist: Literal["uniform", "normal", "lognormal", "beta"]
    low: float | None = None
    high: float | None = None
    mean: float | None = None
    sd: float | None = None
    median: float | None = None
    sigma: float | None = None
    a: float | None = None
    b: float | None = None

    @model_validator(mode="after")
    def _parameters(self) -> Prior:
        required, optional = _PARAMETERS[self.dist]
        given = {k for k in _PARAMETERS_ALL if getattr(self, k) is not None}
        missing = sorted(required - given)
        extra = sorted(given - required - optional)
        if missing:
            raise ValueError(f"a {self.dist} prior needs {missing}")
        if extra:
            allowed = sorted(required | optional)
            raise ValueError(f"a {self.dist} prior takes only {allowed}; got also {extra}")
        for name in ("sd", "sigma", "a", "b", "median"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise ValueError(f"{name} must be > 0, got {value}")
        if (self.low is None) != (self.high is None) and self.dist == "beta":
            raise ValueError("a beta prior takes both low and high, or neither (then [0, 1])")
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"expected low < high, got [{self.low}, {self.high}]")
        return self

    def scipy_spec(self) -> tuple[str, tuple[float, ...], dict[str, float]]:
        """The distribution as ``scipy.stats`` name, arguments and keyword arguments."""
        if self.dist == "uniform":
            return "uniform", (), {"loc": self.low, "scale": self.high - self.low}
        if self.dist == "normal":
            low = -math.inf if self.low is None else (self.low - self.mean) / self.sd
            high = math.inf if self.high is None else (self.high - self.mean) / self.sd
            if math.isinf(low) and math.isinf(high):
                return "norm", (), {"loc": self.mean, "scale": self.sd}
            return "truncnorm", (low, high), {"loc": self.mean, "scale": self.sd}
        if self.dist == "lognormal":
            return "lognorm", (self.sigma,), {"scale": self.median}
        low, high = (0.0, 1.0) if self.low is None else (self.low, self.high)
        return "beta", (self.a, self.b), {"loc": low, "scale": high - low}

    def rv(self) -> Any:
        """The distribution as a frozen ``scipy.stats`` random variable."""
        name, args, kwargs = self.scipy_spec()
        return getattr(stats, name)(*args, **kwargs)

    def bounds(self) -> tuple[float, float]:
        """The range the sensitivity analysis samples uniformly.

        The support, or the central 99 % where it is unbounded (and for a lognormal).
        """
        rv = self.rv()
        low, high = rv.support()
        q_low, q_high = BOUNDS_QUANTILES
        unbounded_low = math.isinf(low) or self.dist == "lognormal"
        low = float(rv.ppf(q_low)) if unbounded_low else float(low)
        high = float(rv.ppf(q_high)) if math.isinf(high) else float(high)
        return low, high

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` draws from the prior with the given generator."""
        return np.asarray(self.rv().rvs(size=size, random_state=rng), dtype=float)

    def describe(self) -> str:
        """A short text, e.g. ``normal(mean=0.035, sd=0.01) on [0, 0.1]``."""
        names = [k for k in ("mean", "sd", "median", "sigma", "a", "b") if getattr(self, k)]
        text = f"{self.dist}({', '.join(f'{k}={getattr(self, k):g}' for k in names)})"
        if self.low is not None:
            text = text.replace("()", "") + f" on [{self.low:g}, {self.high:g}]"
        return text


_PARAMETERS_ALL = ("low", "high", "mean", "sd", "median", "sigma", "a", "b")


def parse_prior(value: Any) -> tuple[float, float] | list[float] | Prior:
    """One entry of ``uncertainties``: ``[low, high]`` kept as is, a mapping made a Prior.

    Raises:
        ValueError: saying what was expected (the caller names the key).
    """
    if isinstance(value, Prior):
        return value
    if isinstance(value, tuple | list):
        numbers = [v for v in value if isinstance(v, int | float) and not isinstance(v, bool)]
        if len(value) != 2 or len(numbers) != 2 or not all(map(math.isfinite, numbers)):
            shown = "[" + ", ".join(str(v) for v in value) + "]"
            raise ValueError(f"expected [low, high] as two finite numbers (found {shown})")
        return float(value[0]), float(value[1])
    if not isinstance(value, dict):
        raise ValueError(
            "expected [low, high] or a mapping such as {dist: normal, mean: 0.8, sd: 0.05}"
        )
    try:
        return Prior.model_validate(value)
    except ValidationError as err:
        problems = []
        for e in err.errors():
            where = ".".join(str(p) for p in e["loc"])
            msg = e["msg"].removeprefix("Value error, ")
            problems.append(f"{where}: {msg}" if where else msg)
        raise ValueError("; ".join(problems)) from None


UncertaintyValue = Annotated[tuple[float, float] | Prior, BeforeValidator(parse_prior)]
"""The type of one ``uncertainties`` entry in the scenario schema."""


def as_prior(value: tuple[float, float] | list[float] | Prior) -> Prior:
    """An uncertainty as a :class:`Prior` (``[low, high]`` is a uniform prior)."""
    if isinstance(value, Prior):
        return value
    low, high = value
    return Prior(dist="uniform", low=float(low), high=float(high))

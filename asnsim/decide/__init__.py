"""From comparison to decision: robust rankings over plausible worlds and budget frontiers.

- :mod:`asnsim.decide.worlds`: plausible worlds (declared ranges or a posterior), paired runs.
- :mod:`asnsim.decide.robust`: expected value, probability of being best, regret, targets.
- :mod:`asnsim.decide.discovery`: PRIM boxes: where an option loses its lead.
- :mod:`asnsim.decide.optimise`: NSGA-II over lever choices within a budget; Pareto front.

The commands are ``asnsim robust`` and ``asnsim optimise`` (:mod:`asnsim.decide.cli`).
"""

"""A planner's brief of a saved result: a comparison, a robust study or a Pareto front.

:func:`read_result` reads a result folder (its kind told by its files), :func:`write_brief`
writes its brief as a self-contained HTML page and a Markdown twin, in Bahasa Indonesia
(``lang="id"``, the default) or English. ``asnsim brief RESULT_DIR`` is the command.
"""

from asnsim.brief.command import render, write_brief
from asnsim.brief.content import answer_sentence
from asnsim.brief.folders import ResultFolder, read_result

__all__ = ["ResultFolder", "answer_sentence", "read_result", "render", "write_brief"]

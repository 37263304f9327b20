"""Sphinx configuration of asnsim's reference documentation.

Build it from the repository's root (the source folder is the root, so the notebooks and the
README are part of the site; only ``include_patterns`` are read)::

    python -m sphinx -W --keep-going -c docs . docs/_build/html
"""

from asnsim.version import __version__

project = "asnsim"
author = "asnsim developers"
release = __version__
version = __version__
copyright = "2026, asnsim developers"

root_doc = "docs/index"
include_patterns = ["docs/**", "notebooks/*.ipynb", "README.md"]
exclude_patterns = ["docs/_build/**", "docs/_root/**", "**/.ipynb_checkpoints/**"]

extensions = [
    "myst_nb",  # Markdown (MyST) pages and the notebooks, with their stored outputs
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",  # Google-style docstrings
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}

nb_execution_mode = "off"  # the notebooks are executed (and checked) by the test suite
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3

autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

html_theme = "alabaster"
html_title = f"asnsim {__version__}"
html_extra_path = ["_root"]  # index.html at the site's root, pointing to docs/index.html

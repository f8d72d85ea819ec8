"""The MkDocs plugin `tic-registry`: the registry's pages and open data inside MkDocs' own build.

Registered as an entry point of the `mkdocs.plugins` group (pyproject.toml) and listed
under `plugins:` in mkdocs.yml. Each build generates (validate → derive → render) from
registry/ in its `on_pre_build` and hands every page and data file to MkDocs as a
generated `File` in `on_files`: nothing is written into docs/, so the server's watch of
docs/ sees only what people edit. `mkdocs serve` watches registry/ as well (`on_serve`),
and a record saved during a build simply asks for the next one: builds run one at a
time on MkDocs' own build loop.

* plugin.py: the events, and what the plugin keeps from one build to the next;
* generation.py: when to generate again, and the generated files as MkDocs files;
* pages.py: record pages without Python-Markdown, list pages' raw HTML set aside,
  record pages' search entries;
* search.py: the search index, complete in dirty builds and stored as UTF-8;
* templates.py: the theme's compiled templates, kept while the server runs.
"""

from generator.plugin.plugin import RegistryPlugin

__all__ = ["RegistryPlugin"]

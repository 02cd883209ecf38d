"""runs: the only layer that composes stages.

Each module is one job a user asks for — a collection run (collect → extract → store), an
import, a brief (analyze → write → check → store → render), the daily schedule, the editor's
desk, the demo. Stages never import this package; the shells (``zhibao.cli``, ``zhibao.web``)
and the public API in ``zhibao/__init__.py`` call it.
"""

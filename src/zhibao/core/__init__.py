"""core: what every layer speaks — the domain model, errors, figures, URLs, time, the brief schema.

Nothing here imports another part of zhibao; everything else may import it.
"""

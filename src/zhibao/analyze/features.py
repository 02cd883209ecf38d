"""What analysis needs of each document, computed once and kept: its relevance, its MinHash.

Scoring a document against the profile (tokenising it) is nearly all the cost of analysing a
window. The result depends only on the document's content and on the profile's vocabulary, so
it is computed once per document and profile and kept in the store; a brief then reads the
window's features instead of re-reading every text. ``profile_key`` names the profile parts
(and this code's version) the features depend on: a profile whose keywords change gets new
features, one whose masthead or section count changes keeps them.

    >>> key = profile_key(profile)
    >>> features = document_features(documents, profile)
    >>> features[0].relevance.score, features[0].signature is not None
    (12.5, True)
    >>> DocumentFeatures.from_data(features[0].to_data(), features[0].signature_bytes())

Relevant documents carry their MinHash signature (``dedup.signature``), which is what dedup
compares; the others never reach dedup and carry none.

A large batch (a new store, a changed profile) is scored in a pool of worker processes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass

import numpy as np

from zhibao.analyze.dedup import signature
from zhibao.analyze.relevance import Relevance, RelevanceScorer
from zhibao.config import Profile
from zhibao.core.model import Document

__all__ = [
    "FEATURES_VERSION",
    "DocumentFeatures",
    "document_features",
    "profile_key",
]

# Raised whenever scoring or dedup changes what they compute, so stored features are redone.
FEATURES_VERSION = 1
# Below this many documents a pool costs more (start-up, jieba per worker) than it saves.
POOL_MIN_DOCUMENTS = 4_000
_CHUNK = 500


@dataclass
class DocumentFeatures:
    """One document's analysis features under one profile."""

    relevance: Relevance
    signature: np.ndarray | None = None  # MinHash values (dedup); relevant documents only

    def to_data(self) -> dict:
        """The relevance as plain JSON data (the signature goes apart, as bytes)."""
        return asdict(self.relevance)

    def signature_bytes(self) -> bytes | None:
        return None if self.signature is None else self.signature.tobytes()

    @classmethod
    def from_data(cls, data: dict, signature_bytes: bytes | None = None) -> DocumentFeatures:
        signature = (
            None
            if signature_bytes is None
            else np.frombuffer(signature_bytes, dtype=np.uint32).copy()
        )
        return cls(relevance=Relevance(**data), signature=signature)


def profile_key(profile: Profile) -> str:
    """A short hash of what relevance depends on: themes, terms, weights, thresholds."""
    parts = {
        "version": FEATURES_VERSION,
        "themes": [[theme.id, theme.keywords, theme.negative_keywords] for theme in profile.themes],
        "negative_keywords": profile.negative_keywords,
        "negative_weight": profile.negative_weight,
        "broad_keywords": sorted(profile.broad_keywords),
        "broad_factor": profile.broad_factor,
        "title_weight": profile.title_weight,
        "min_relevance": profile.min_relevance,
    }
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _features(scorer: RelevanceScorer, documents: Sequence[Document]) -> list[DocumentFeatures]:
    out = []
    for document in documents:
        relevance = scorer.score(document)
        out.append(DocumentFeatures(relevance, signature(document) if relevance.relevant else None))
    return out


# One scorer per worker process, built once by the pool's initializer.
_worker_scorer: RelevanceScorer | None = None


def _start_worker(profile: Profile) -> None:
    global _worker_scorer
    _worker_scorer = RelevanceScorer(profile)


def _work(documents: list[Document]) -> list[DocumentFeatures]:
    assert _worker_scorer is not None, "the pool initializer builds the scorer"
    return _features(_worker_scorer, documents)


def document_features(
    documents: Sequence[Document],
    profile: Profile | RelevanceScorer,
    *,
    processes: int | None = None,
) -> list[DocumentFeatures]:
    """The features of each of ``documents`` (same order).

    ``processes``: worker processes for a large batch (default: one per CPU once the batch
    reaches ``POOL_MIN_DOCUMENTS``; 1 scores in this process).
    """
    scorer = profile if isinstance(profile, RelevanceScorer) else RelevanceScorer(profile)
    if processes is None:
        processes = (os.cpu_count() or 1) if len(documents) >= POOL_MIN_DOCUMENTS else 1
    if processes <= 1 or len(documents) < 2 * _CHUNK:
        return _features(scorer, documents)
    chunks = [list(documents[i : i + _CHUNK]) for i in range(0, len(documents), _CHUNK)]
    with ProcessPoolExecutor(
        max_workers=processes, initializer=_start_worker, initargs=(scorer.profile,)
    ) as pool:
        return [f for part in pool.map(_work, chunks) for f in part]

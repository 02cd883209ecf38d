"""Near-duplicates: the same text reprinted by several outlets (转载), found by MinHash LSH.

Each document becomes a set of character 5-grams (shingles) of its compacted title and text;
datasketch's MinHash LSH proposes pairs whose estimated Jaccard similarity is above the
threshold (0.7), so no pair of documents is compared unless the index proposes it.

    >>> groups = near_duplicate_groups(documents)
    >>> groups[0]      # indices of one group, earliest first
    [3, 17]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from zhibao.core.model import Document

if TYPE_CHECKING:
    from datasketch import MinHash

__all__ = ["near_duplicate_groups", "shingle_hashes", "signature"]

SHINGLE = 5
THRESHOLD = 0.7
NUM_PERM = 64
_MAX_CHARS = 4000  # a reprint is recognisable from its first pages; long texts are cut here
_NOISE = re.compile(r"[\s\W_]+")
_P = np.uint64(1_000_003)
_SCHEME = "affine32"  # datasketch's hashing scheme; stored signatures are read back under it


def shingle_hashes(text: str, k: int = SHINGLE) -> np.ndarray:
    """32-bit hashes of the distinct character k-grams of ``text`` (spaces and punctuation removed).

    A polynomial hash over the code points, computed with numpy: hashing every shingle
    with SHA-1 in Python would dominate the run time on thousands of documents.
    """
    compact = _NOISE.sub("", text.lower())[:_MAX_CHARS]
    if not compact:
        return np.zeros(0, dtype=np.uint64)
    codes = np.frombuffer(compact.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < k:
        k = len(codes)
    h = np.zeros(len(codes) - k + 1, dtype=np.uint64)
    for offset in range(k):  # uint64 arithmetic wraps around, which is what a hash wants
        h = h * _P + codes[offset : offset + len(h)]
    return np.unique((h ^ (h >> np.uint64(29))) & np.uint64(0xFFFFFFFF))


def _minhash(hashes: np.ndarray) -> MinHash:
    from datasketch import MinHash

    signature = MinHash(num_perm=NUM_PERM, hashfunc=int, scheme=_SCHEME)
    if len(hashes):
        signature.update_batch(hashes.tolist())  # hashfunc=int: the values are hashes already
    return signature


def _document_minhash(document: Document) -> MinHash:
    return _minhash(shingle_hashes(f"{document.title}\n{document.text}"))


def signature(document: Document) -> np.ndarray:
    """The MinHash values of ``document`` (``NUM_PERM`` integers): what dedup compares, small
    enough to keep with the document's other features."""
    return _document_minhash(document).hashvalues


def near_duplicate_groups(
    documents: Sequence[Document],
    *,
    threshold: float = THRESHOLD,
    signatures: Sequence[np.ndarray | None] | None = None,
) -> list[list[int]]:
    """Groups (≥ 2 members) of near-duplicate documents, as index lists sorted by publication.

    ``signatures`` (one per document, from ``signature``; None where unknown) spare computing
    them again.
    """
    # Imported here: datasketch pulls in scipy (~0.25 s), which every `zhibao` command would
    # otherwise pay at start-up because the CLI registers the analyze commands.
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    minhashes: list[MinHash] = []
    for i, document in enumerate(documents):
        known = signatures[i] if signatures is not None else None
        minhash = (
            _document_minhash(document)
            if known is None
            else MinHash(num_perm=NUM_PERM, hashvalues=known, scheme=_SCHEME)
        )
        minhashes.append(minhash)
        lsh.insert(i, minhash, check_duplication=False)
    parent = list(range(len(documents)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, minhash in enumerate(minhashes):
        for j in lsh.query(minhash):
            # LSH proposes; the estimated Jaccard similarity decides.
            if j > i and minhash.jaccard(minhashes[j]) >= threshold:
                parent[find(j)] = find(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(documents)):
        groups.setdefault(find(i), []).append(i)

    def when(i: int) -> tuple[bool, float]:
        published = documents[i].published_at
        return (published is None, published.timestamp() if published else 0.0)

    return [sorted(g, key=when) for g in groups.values() if len(g) > 1]

"""Find the Chinese news articles that report the same event, across outlets
and across Traditional and Simplified script, and say why each pair was linked.

The Python face of the zhdedup Rust library:

- :func:`cluster` clusters records (dicts, pandas rows, any mapping) and/or
  :class:`Article` objects into events and stories, giving a
  :class:`Clustering`; with a model trained on them, it weighs vectors from
  any sentence-embedding model too (``vectors=``, or a ``vector`` key);
- :class:`Loader` reads news archive files and folders into articles;
- :func:`frequencies`, :func:`score` and :func:`group` split clustering in
  two, for archives clustered in parts (time windows on Spark executors):
  count :class:`Frequencies` per part and merge them, score each part with
  the merged counts (and its vectors), then group all the parts' pairs at
  once;
- :class:`Normalizer` folds text to the canonical form the clusterer compares
  (``fold``) and converts Traditional to Simplified exactly as OpenCC
  (``t2s``).

Loading and clustering release the GIL.
"""

from ._native import (
    Article,
    Clustering,
    Frequencies,
    Loaded,
    Loader,
    Normalizer,
    cluster,
    frequencies,
    group,
    score,
)

__all__ = [
    "Article",
    "Clustering",
    "Frequencies",
    "Loaded",
    "Loader",
    "Normalizer",
    "cluster",
    "frequencies",
    "group",
    "score",
]

__version__ = "0.1.0"

"""Type stubs of zhdedup's extension module (``zhdedup._native``), which
``zhdedup`` re-exports. The docstrings at run time are the Rust doc comments."""

import datetime
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, Optional, Union, final

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

_StrPath = Union[str, "os.PathLike[str]"]
#: A record's id: unique within one call; ``1`` and ``"1"`` are different ids.
_Id = Union[str, int]
#: A record: ``id`` (required), ``title``, ``text`` (str, one paragraph a line,
#: or a list of str), ``html``, ``paragraphs``, ``outlet``, ``url``,
#: ``published`` (datetime, str or int epoch seconds), ``vector`` (for
#: :func:`cluster` and :func:`score`). Other keys are ignored.
_RecordLike = Mapping[str, Any]
#: A vector from any sentence-embedding model: a list, tuple, numpy array or
#: any iterable of numbers (``None`` or NaN: no vector).
_Vector = Optional[Iterable[float]]
#: Records, Articles, or a whole pandas DataFrame / pyarrow Table (its rows).
_Records = Union[Iterable[Union[_RecordLike, "Article"]], Any]
_Published = Union[datetime.datetime, datetime.date, str, int, float, None]

@final
class Article:
    """One article, cleaned by the library (from a :class:`Loader`). In a
    clustering its id is :attr:`id`."""

    @property
    def id(self) -> int:
        """The loader's number for the article (0, 1, ... in reading order)."""
    @property
    def path(self) -> str:
        """The file it came from."""
    @property
    def line(self) -> Optional[int]:
        """The 1-based line of a JSON Lines record, else None."""
    @property
    def source(self) -> str:
        """``path``, or ``path:line`` for a JSON Lines record."""
    @property
    def format(self) -> Literal["jekyll_post", "hexo_post", "rss_export", "json_lines", "plain_text"]:
        """The layout read."""
    @property
    def encoding(self) -> str:
        """The text encoding detected (``UTF-8``, ``gb18030``, ``Big5``, ...)."""
    @property
    def outlet(self) -> Optional[str]:
        """The outlet, from the file's metadata or the URL's host."""
    @property
    def url(self) -> Optional[str]:
        """The URL, percent-decoded."""
    @property
    def title(self) -> str:
        """The title without outlet decorations."""
    @property
    def raw_title(self) -> str:
        """The title as written."""
    @property
    def paragraphs(self) -> list[str]:
        """The body paragraphs in reading order."""
    @property
    def captions(self) -> list[str]:
        """Image and video captions, apart from the body."""
    @property
    def published_ms(self) -> Optional[int]:
        """The publish time in milliseconds since the epoch (UTC)."""
    @property
    def published(self) -> Optional[str]:
        """The publish time as RFC 3339 in UTC (``2024-03-12T09:30:00Z``)."""
    @property
    def warnings(self) -> list[str]:
        """What the loader left out and why (an unreadable publish time)."""
    def to_dict(self) -> dict[str, Any]:
        """Every field as plain Python data (the library's serde form)."""

@final
class Loaded:
    """What :meth:`Loader.load` read: every input is in ``articles`` or in
    ``failures``."""

    @property
    def articles(self) -> list[Article]:
        """The articles, in stable order (by path, then line)."""
    @property
    def failures(self) -> list[dict[str, Any]]:
        """One dict per input that gave no article: ``path``, ``line``,
        ``reason`` (a short stable code) and ``message``."""
    @property
    def files(self) -> int:
        """Files looked at."""
    @property
    def bytes(self) -> int:
        """Bytes read."""

@final
class Loader:
    """Reads news archive files and folders into articles (the library's
    ``Loader::load_paths``)."""

    def __new__(
        cls,
        *,
        threads: int = 0,
        utc_offset_minutes: int = 480,
        bad_times: Literal["warn", "reject"] = "warn",
        max_file_bytes: int = 16 * 1024 * 1024,
        max_html_depth: int = 256,
        first_id: int = 0,
    ) -> "Loader":
        """``ValueError`` for a limit of zero or an offset beyond ±1080 minutes."""
    def load(self, paths: Union[_StrPath, Sequence[_StrPath]]) -> Loaded:
        """Reads files and folders (recursively). Releases the GIL."""

@final
class Clustering:
    """The events and stories of a batch, with the evidence of every link.
    Articles are named by their ids."""

    @property
    def clusters(self) -> list[list[_Id]]:
        """Events, in the order of their first article in the input."""
    @property
    def stories(self) -> list[list[int]]:
        """Stories: sorted indices into ``clusters``."""
    @property
    def ids(self) -> list[_Id]:
        """Every input's id, in input order."""
    @property
    def links(self) -> list[dict[str, Any]]:
        """``{"a", "b", "score", "evidence"}`` per linked or same-event pair."""
    @property
    def candidates(self) -> int:
        """Candidate pairs scored."""
    def cluster_of(self, id: _Id) -> int:
        """The index in ``clusters`` of the event holding ``id`` (KeyError if none)."""
    def story_of(self, id: _Id) -> int:
        """The index in ``stories`` of the story holding ``id``."""
    def cluster_index(self) -> dict[_Id, int]:
        """Every id to the index of its event."""
    def story_index(self) -> dict[_Id, int]:
        """Every id to the index of its story."""
    def explain(self, a: _Id, b: _Id) -> Optional[dict[str, Any]]:
        """The link of two articles, or None when they were not scored."""
    def to_pandas(self) -> Any:
        """A pandas DataFrame: ``id``, ``cluster``, ``story``, in input order."""
    def to_arrow(self) -> Any:
        """A pyarrow Table, as :meth:`to_pandas`."""
    def links_to_pandas(self) -> Any:
        """A pandas DataFrame of the links, evidence flattened."""
    def links_to_arrow(self) -> Any:
        """A pyarrow Table of the links, as :meth:`links_to_pandas`."""
    def __len__(self) -> int: ...

@final
class Normalizer:
    """Folds Chinese text to one canonical form; ``t2s`` as OpenCC."""

    def __new__(
        cls,
        vocabulary: Union[Mapping[str, str], Iterable[tuple[str, str]], None] = None,
        *,
        builtin_vocabulary: bool = True,
    ) -> "Normalizer": ...
    def fold(self, text: str) -> str:
        """``text`` in its canonical form."""
    def fold_mapped(self, text: str) -> tuple[str, list[int]]:
        """The folded text and, per character, its index in ``text``."""
    def t2s(self, text: str) -> str:
        """Traditional to Simplified exactly as OpenCC 1.1.6's ``t2s``."""
    def vocabulary(self) -> list[tuple[str, str]]:
        """The vocabulary entries in use, folded: (variant, canonical)."""

def cluster(
    records: _Records,
    *,
    vectors: Optional[Mapping[_Id, _Vector]] = None,
    model: Optional[_StrPath] = None,
    threshold: Optional[float] = None,
    story_threshold: Optional[float] = None,
    gap: Optional[float] = None,
    threads: Optional[int] = None,
    copy_coverage: Optional[float] = None,
    lead_chars: Optional[int] = None,
    blocking_terms: Optional[int] = None,
    ngram: Optional[int] = None,
    max_distance: Optional[int] = None,
    min_paragraph_chars: Optional[int] = None,
    max_paragraph_matches: Optional[int] = None,
    signals: Optional[dict[str, bool]] = None,
    utc_offset_minutes: Optional[int] = None,
    frequencies: Union["Frequencies", bytes, None] = None,
) -> Clustering:
    """Clusters records and articles into events and stories. Every record is
    clustered or a ``ValueError`` names it (index and id) and the field.
    Releases the GIL while reading records and clustering.

    ``vectors`` maps record ids (an :class:`Article`'s ``id``) to vectors of
    one dimension; a record's ``vector`` key gives one too (not both for one
    record). They need a model trained with vectors (``model=``; the
    built-in one is not): ``ValueError`` otherwise, and for an id naming no
    record or a bad vector (empty, not numbers, not finite, all zeros, of
    another dimension). Records without a vector take the model's value
    for a missing one."""

@final
class Frequencies:
    """Corpus-wide document frequencies: count parts, ``merge`` them, and
    give the whole's counts to ``cluster``/``score`` of any part. Picklable."""

    def __new__(cls) -> "Frequencies":
        """Empty counts."""
    @property
    def articles(self) -> int:
        """How many articles were counted."""
    def merge(self, other: "Frequencies") -> None:
        """Adds the counts of ``other`` (ValueError for other folding settings)."""
    def prune(self) -> None:
        """Drops terms only one article holds (for the whole archive's counts)."""
    def to_bytes(self) -> bytes:
        """The counts as bytes."""
    @staticmethod
    def from_bytes(data: bytes) -> "Frequencies":
        """Reads ``to_bytes`` output (ValueError for other bytes)."""
    def __len__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, tuple[bytes]]: ...

def frequencies(records: _Records, **settings: Any) -> Frequencies:
    """The document frequencies of records (settings as :func:`cluster`)."""

def score(
    records: _Records,
    *,
    vectors: Optional[Mapping[_Id, _Vector]] = None,
    **settings: Any,
) -> tuple[list[tuple[_Id, _Id, float]], list[dict[str, Any]]]:
    """Every pair clustering weighs as ``(id_a, id_b, score)``, and the links.
    Vectors (``vectors=`` or a ``vector`` key) and settings as :func:`cluster`,
    with its checks and errors."""

def group(
    ids: Iterable[_Id], pairs: Iterable[Sequence[Any]], **settings: Any
) -> dict[str, Any]:
    """``{"clusters": [[id, ...], ...], "stories": [[int, ...], ...]}`` from
    scored pairs, by the same average linkage as :func:`cluster`."""

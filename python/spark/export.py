"""Write archive files as the records the Spark job reads (JSON Lines).

    python python/spark/export.py PATH... OUT.jsonl

Each article read by ``zhdedup.Loader`` becomes one record: ``id`` (its
source, ``path`` or ``path:line``), ``title``, ``text`` (its clean
paragraphs), ``outlet``, ``published`` (UTC, ISO 8601) and ``url``. Inputs
that cannot be read are listed on standard error with their reasons. Files are
read a few at a time, so the archive need not fit in memory.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timezone
from pathlib import PurePath


def files(paths) -> list[str]:
    """Every regular file under ``paths``, in the order the library loads
    them (sorted by path components, as ``Loader::load_paths`` sorts)."""
    found = set()
    for path in paths:
        if os.path.isdir(path):
            for folder, _, names in os.walk(path):
                found.update(os.path.join(folder, name) for name in names)
        else:
            found.add(str(path))
    return sorted(found, key=lambda p: PurePath(p).parts)


def each_record(paths, failures: list, batch: int = 64):
    """The records of the articles under ``paths``, a few files at a time
    (an archive need not fit in memory); failed inputs are appended to
    ``failures``."""
    import zhdedup

    loader = zhdedup.Loader()  # one loader: ids stay distinct across calls
    listed = files(paths)
    for start in range(0, len(listed), batch):
        loaded = loader.load(listed[start:start + batch])
        failures.extend(loaded.failures)
        for article in loaded.articles:
            yield _record(article)


def _record(article) -> dict:
    ms = article.published_ms
    published = None
    if ms is not None:
        published = datetime.fromtimestamp(ms / 1000, tz=timezone.utc).isoformat(
            timespec="milliseconds")
    record = {"id": article.source, "title": article.title, "text": article.paragraphs,
              "outlet": article.outlet, "published": published, "url": article.url}
    return {k: v for k, v in record.items() if v is not None}


def records(paths):
    """The records of the articles under ``paths``, and the failures."""
    failures: list = []
    found = list(each_record(paths, failures))
    return found, failures


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    failures: list = []
    count = 0
    with open(argv[-1], "w", encoding="utf-8") as out:
        for record in each_record(argv[:-1], failures):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    for failure in failures:
        print(f"skipped {failure}", file=sys.stderr)
    print(f"{count} records, {len(failures)} failed inputs", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Write archive files as the records the Spark job reads (JSON Lines).

    python python/spark/export.py PATH... OUT.jsonl

Each article read by ``zhdedup.Loader`` becomes one record: ``id`` (its
source, ``path`` or ``path:line``), ``title``, ``text`` (its clean
paragraphs), ``outlet``, ``published`` (UTC, ISO 8601) and ``url``. Inputs
that cannot be read are listed on standard error with their reasons.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone


def records(paths):
    """The records of the articles under ``paths``, and the failures."""
    import zhdedup

    loaded = zhdedup.Loader().load(paths)
    out = []
    for article in loaded.articles:
        ms = article.published_ms
        published = None
        if ms is not None:
            published = datetime.fromtimestamp(ms / 1000, tz=timezone.utc).isoformat(
                timespec="milliseconds")
        record = {"id": article.source, "title": article.title, "text": article.paragraphs,
                  "outlet": article.outlet, "published": published, "url": article.url}
        out.append({k: v for k, v in record.items() if v is not None})
    return out, loaded.failures


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    found, failures = records(argv[:-1])
    with open(argv[-1], "w", encoding="utf-8") as out:
        for record in found:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    for failure in failures:
        print(f"skipped {failure}", file=sys.stderr)
    print(f"{len(found)} records, {len(failures)} failed inputs", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

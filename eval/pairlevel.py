"""Pair-level leave-one-day-out F1 of a logistic regression over the pair
features, with and without extra evidence: a quick test of whether some
evidence carries anything the library's features do not, before building
it (never needed by the tests or CI).

    L=$(ls ../shared/labels/events-*.tsv eval/days/events-*.tsv | paste -sd,)
    cargo run --release --example train -- --corpus ../shared/corpus --labels $L \
        --pairs-out /tmp/pairs.tsv [--vectors /tmp/vectors.jsonl]
    cargo run --release --example train -- --corpus ../shared/corpus --texts /tmp/texts.jsonl
    pip install scikit-learn jieba
    python3 eval/pairlevel.py /tmp/pairs.tsv /tmp/texts.jsonl LABELS.tsv...

For each labelled day, a model is fitted on the other days' labelled
candidate pairs and the day's pairs are ranked by it; the day's score is
the best pairwise F1 over that ranking (every same-event pair of the day
counts, including those never compared). It is an upper bound on what a
clustering of those scores reaches at one threshold for all days, so it
measures the evidence, not the threshold choice or the linkage. Rows:

- `lexical`: the library's features (all but `vector`);
- `+ vector`: the `vector` column, when the pairs were written with vectors;
- `+ dates`: the days of the month and the weekdays named in the title and
  the first 240 lead characters (the library's lead): whether both name
  one and share one, or name some and share none;
- `+ names`: a name (place, person, organisation) in one headline that
  the other's title and lead lack (jieba's tags on folded text);
- `+ title LCS`: the longest run of characters two headlines share,
  against the shorter headline;
- and the three together.

Folding uses the `zhdedup` binary (`ZHDEDUP_BIN`, or the release build).
"""
import collections
import csv
import glob
import json
import math
import os
import re
import subprocess
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

LEAD_CHARS = 240
NAME_TAGS = {"ns", "nr", "nrt", "nrfg", "nt", "nz"}
WEEKDAYS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}


def load_pairs(path):
    with open(path, encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    head, rows = rows[0], rows[1:]
    names = head[3:]
    x = np.array([[float(v) for v in r[3:]] for r in rows])
    return [r[0] for r in rows], [r[1] for r in rows], names, x


def load_labels(files):
    label = {}
    for day, file in enumerate(files):
        with open(file, encoding="utf-8") as f:
            for line in f.read().splitlines()[1:]:
                path, event = line.split("\t")
                label[path] = (day, event.strip())
    return label


def fold(texts):
    binary = os.environ.get("ZHDEDUP_BIN", "target/release/zhdedup")
    # One text a line: a line break inside a text would shift the rest.
    lines = "\n".join(t.replace("\n", " ") for t in texts) + "\n"
    out = subprocess.run([binary, "fold", "-q"], input=lines, capture_output=True,
                         text=True, check=True).stdout
    folded = out.split("\n")[: len(texts)]
    if len(folded) != len(texts):
        sys.exit("zhdedup fold returned a different number of lines")
    return folded


def date_features(a, b, text):
    def named(p):
        title, lead = text[p]
        s = title + " " + lead[:LEAD_CHARS]
        days = {int(m) for m in re.findall(r"(?<![\d.])(\d{1,2})日", s) if 1 <= int(m) <= 31}
        weekdays = {WEEKDAYS[m] for m in re.findall(r"(?:星期|周|週|禮拜|礼拜)([一二三四五六日天])", s)}
        return days, weekdays

    cache = {p: named(p) for p in set(a) | set(b)}
    f = np.zeros((len(a), 2))
    for k, (x, y) in enumerate(zip(a, b)):
        (dx, wx), (dy, wy) = cache[x], cache[y]
        if (dx and dy) or (wx and wy):
            f[k, 0 if (dx & dy) or (wx & wy) else 1] = 1
    return f


def name_features(a, b, folded):
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    paths = sorted(folded)
    titles = [folded[p][0] for p in paths]
    leads = [folded[p][1] for p in paths]
    at = {p: i for i, p in enumerate(paths)}
    names = [{w for w, tag in jieba.posseg.cut(t, HMM=False) if len(w) >= 2 and tag in NAME_TAGS}
             for t in titles]
    df = collections.Counter(w for n in names for w in n)

    def novel(i, j):
        other = titles[j] + " " + leads[j]
        return [w for w in names[i] if w not in other]

    f = np.zeros((len(a), 4))
    for k, (x, y) in enumerate(zip(a, b)):
        i, j = at[x], at[y]
        nx, ny = novel(i, j), novel(j, i)
        wx = sum(math.log(len(paths) / df[w]) for w in nx)
        wy = sum(math.log(len(paths) / df[w]) for w in ny)
        f[k] = [bool(nx) or bool(ny), bool(nx) and bool(ny), min(max(wx, wy) / 10, 1),
                min(min(wx, wy) / 10, 1)]
    return f


def lcs_features(a, b, folded):
    titles = {p: re.sub(r"[\W_]+", "", title) for p, (title, _) in folded.items()}

    def longest(s, t):
        best, prev = 0, [0] * (len(t) + 1)
        for ch in s:
            cur = [0] * (len(t) + 1)
            for j, c in enumerate(t):
                if ch == c:
                    cur[j + 1] = prev[j] + 1
                    best = max(best, cur[j + 1])
            prev = cur
        return best

    f = np.zeros((len(a), 1))
    for k, (x, y) in enumerate(zip(a, b)):
        s, t = titles[x], titles[y]
        f[k, 0] = longest(s, t) / max(1, min(len(s), len(t)))
    return f


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    a, b, names, x = load_pairs(sys.argv[1])
    text = {}
    with open(sys.argv[2], encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            text[r["path"]] = (r["title"], r["lead"])
    files = sys.argv[3:]
    label = load_labels(files)
    day = np.array([label[p][0] if p in label and q in label and label[p][0] == label[q][0] else -1
                    for p, q in zip(a, b)])
    same = np.array([d >= 0 and label[p][1] == label[q][1] for d, p, q in zip(day, a, b)])
    positives = collections.Counter()
    for d in range(len(files)):
        sizes = collections.Counter(e for (dd, e) in label.values() if dd == d)
        positives[d] = sum(n * (n - 1) // 2 for n in sizes.values())

    def best_f1(score, d):
        m = day == d
        hits = np.cumsum(same[m][np.argsort(-score[m])])
        return float((2 * hits / (np.arange(1, len(hits) + 1) + positives[d])).max())

    def held_out(m):
        scores = []
        for d in range(len(files)):
            train = (day >= 0) & (day != d)
            scale = StandardScaler().fit(m[train])
            fit = LogisticRegression(C=1.0, max_iter=3000).fit(scale.transform(m[train]), same[train])
            scores.append(best_f1(fit.decision_function(scale.transform(m)), d))
        return scores

    lexical = x[:, [i for i, n in enumerate(names) if n not in ("vector",)]]
    rows = [("lexical", lexical)]
    if "vector" in names and np.any(x[:, names.index("vector")]):
        rows.append(("+ vector", np.hstack([lexical, x[:, [names.index("vector")]]])))
    # Every article of a pair, its title and lead folded once.
    paths = sorted(set(a) | set(b))
    titles = fold([text[p][0] for p in paths])
    leads = fold([text[p][1][:LEAD_CHARS] for p in paths])
    folded = {p: (t, l) for p, t, l in zip(paths, titles, leads)}
    extra = {"dates": date_features(a, b, text), "names": name_features(a, b, folded),
             "title LCS": lcs_features(a, b, folded)}
    for name, f in extra.items():
        rows.append(("+ " + name, np.hstack([lexical, f])))
    rows.append(("+ all three", np.hstack([lexical, *extra.values()])))
    if len(rows) > 5:
        rows.append(("+ all three + vector", np.hstack([rows[1][1], *extra.values()])))
    days = [re.sub(r"^events-", "", os.path.basename(f))[:-4][5:] for f in files]
    print(f"{'evidence':<22} {'mean':>6} {'worst':>6}  " + " ".join(f"{d:>6}" for d in days))
    for name, m in rows:
        s = held_out(m)
        print(f"{name:<22} {np.mean(s):6.3f} {min(s):6.3f}  " + " ".join(f"{v:6.3f}" for v in s))


if __name__ == "__main__":
    main()

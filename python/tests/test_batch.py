"""A large generated batch: every record accounted for, and the same answer
every time and for every thread count."""

import random

import zhdedup

EVENTS = 1250
PER_EVENT = 4
# Characters to build invented words from (a block of common CJK ideographs).
ALPHABET = [chr(0x4E00 + i) for i in range(0, 3000, 3)]


def word(rng, length=2):
    return "".join(rng.choice(ALPHABET) for _ in range(length))


def generated(seed=18):
    """EVENTS invented events, each reported PER_EVENT times with small
    changes, shuffled; ids mix ints and strings."""
    rng = random.Random(seed)
    records = []
    for event in range(EVENTS):
        names = [word(rng, 3) for _ in range(6)]
        sentences = ["".join(rng.sample(names, 3)) + word(rng, 8) + "。" for _ in range(4)]
        base = 1_700_000_000 + event * 4 * 3600
        for report in range(PER_EVENT):
            lines = sentences[:]
            lines[rng.randrange(len(lines))] = word(rng, 12) + "。"
            record_id = f"e{event}-r{report}" if report % 2 else event * PER_EVENT + report
            records.append(
                {
                    "id": record_id,
                    "title": "".join(names[:3]) + word(rng, 2),
                    "text": lines if report % 3 == 0 else "\n".join(lines),
                    "outlet": f"outlet{report}",
                    "published": base + rng.randrange(3600),
                }
            )
    rng.shuffle(records)
    return records


def answer(clustering):
    return clustering.clusters, clustering.stories, clustering.links


def test_every_record_is_accounted_for_and_the_answer_is_stable():
    records = generated()
    assert len(records) == EVENTS * PER_EVENT == 5000
    first = zhdedup.cluster(records, threads=2)
    ids = [r["id"] for r in records]
    placed = [i for cluster in first.clusters for i in cluster]
    assert len(placed) == len(set(placed)) == len(ids)
    assert set(placed) == set(ids)
    assert first.ids == ids
    # The events were found, not 5000 singletons.
    sizes = sorted(len(c) for c in first.clusters)
    assert len(first.clusters) < 2 * EVENTS, sizes[-10:]
    # Each cluster lists its ids in input order, clusters by first article.
    position = {i: p for p, i in enumerate(ids)}
    firsts = [position[c[0]] for c in first.clusters]
    assert firsts == sorted(firsts)
    assert all([position[i] for i in c] == sorted(position[i] for i in c) for c in first.clusters)
    # The same call again, serially, and with the records in a fresh list.
    assert answer(zhdedup.cluster(records, threads=2)) == answer(first)
    assert answer(zhdedup.cluster([dict(r) for r in records], threads=1)) == answer(first)

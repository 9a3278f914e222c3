#!/usr/bin/env python3
"""Builds corpus.train.txt, members.jsonl and nonmembers.jsonl from WordNet 3.0.

Input: the Debian package wordnet-base (apt-get install wordnet-base), files under /usr/share/wordnet.
Output is deterministic (fixed seed). Run from this folder: python3 build-corpus.py
"""
import json
import random
import re
import sys

WORDNET = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet"
SEED = 20240917
TRAIN_CHARS = 900_000
MEMBERS = 160
NONMEMBERS = 160

TOPICS = {
    "noun.Tops": "general ideas", "noun.act": "acts and actions", "noun.animal": "animals",
    "noun.artifact": "things people make", "noun.attribute": "qualities", "noun.body": "the body",
    "noun.cognition": "thought and knowledge", "noun.communication": "communication",
    "noun.event": "events", "noun.feeling": "feelings", "noun.food": "food and drink",
    "noun.group": "groups", "noun.location": "places", "noun.motive": "motives",
    "noun.object": "natural objects", "noun.person": "people", "noun.phenomenon": "natural phenomena",
    "noun.plant": "plants", "noun.possession": "possessions", "noun.process": "processes",
    "noun.quantity": "quantities and units", "noun.relation": "relations", "noun.shape": "shapes",
    "noun.state": "states and conditions", "noun.substance": "substances", "noun.time": "time",
    "verb.body": "caring for the body", "verb.change": "change", "verb.cognition": "thinking",
    "verb.communication": "talking and writing", "verb.competition": "competition",
    "verb.consumption": "eating and using", "verb.contact": "touching", "verb.creation": "making things",
    "verb.emotion": "emotions", "verb.motion": "movement", "verb.perception": "perception",
    "verb.possession": "owning and trading", "verb.social": "social life", "verb.stative": "being and having",
    "verb.weather": "weather", "adj.all": "describing things", "adj.pert": "describing things",
    "adj.ppl": "describing things", "adv.all": "manner and degree",
}
LEXNAMES = [
    "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
    "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event", "noun.feeling",
    "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object", "noun.person",
    "noun.phenomenon", "noun.plant", "noun.possession", "noun.process", "noun.quantity", "noun.relation",
    "noun.shape", "noun.state", "noun.substance", "noun.time", "verb.body", "verb.change", "verb.cognition",
    "verb.communication", "verb.competition", "verb.consumption", "verb.contact", "verb.creation",
    "verb.emotion", "verb.motion", "verb.perception", "verb.possession", "verb.social", "verb.stative",
    "verb.weather", "adj.ppl",
]


def clean_word(w):
    w = re.sub(r"\([a-z]+\)$", "", w)  # adjective position markers such as (a), (p), (ip)
    return w.replace("_", " ")


def parse(path):
    synsets = {}
    with open(path, encoding="ascii") as f:
        for line in f:
            if line.startswith("  "):
                continue  # licence header
            head, _, gloss = line.partition(" | ")
            parts = head.split()
            offset, lex, pos = parts[0], int(parts[1]), parts[2]
            count = int(parts[3], 16)
            words = [clean_word(parts[4 + 2 * i]) for i in range(count)]
            k = 4 + 2 * count
            pcount = int(parts[k])
            hypernyms = [parts[k + 1 + 4 * i + 1] for i in range(pcount) if parts[k + 1 + 4 * i] in ("@", "@i")]
            pieces = [p.strip() for p in gloss.strip().split(";")]
            definition = [p for p in pieces if p and not p.startswith('"')]
            examples = [p.strip('"').strip() for p in pieces if p.startswith('"')]
            synsets[offset] = dict(lex=LEXNAMES[lex], pos=pos, words=words, hyper=hypernyms,
                                   definition="; ".join(definition), examples=[e for e in examples if len(e) > 12])
    return synsets


def sentence(s, index, rng):
    w = s["words"][0]
    d = s["definition"].rstrip(".")
    if not d:
        return None
    pos = s["pos"]
    if pos == "n":
        opts = [f"{w[0].upper() + w[1:]}: {d}.", f"The word {w} refers to {d}.", f"By {w} we mean {d}."]
    elif pos == "v":
        opts = [f"To {w} is to {d}.", f"To {w} means to {d}.", f"When you {w}, you {d}."]
    else:
        opts = [f"The word {w} means {d}.", f"Something described as {w} is {d}.", f"{w[0].upper() + w[1:]} means {d}."]
    out = [rng.choice(opts)]
    if pos == "n" and s["hyper"] and s["hyper"][0] in index:
        out.append(f"It is a kind of {index[s['hyper'][0]]['words'][0]}.")
    if len(s["words"]) > 1:
        others = s["words"][1:4]
        joined = others[0] if len(others) == 1 else ", ".join(others[:-1]) + " or " + others[-1]
        out.append(rng.choice([f"It is also called {joined}.", f"Another name for it is {joined}.", f"People also say {joined}."]))
    for ex in s["examples"][:2]:
        out.append(rng.choice([f'For example: "{ex}".', f'As in "{ex}".', f'One might say "{ex}".']))
    return " ".join(out)


def main():
    rng = random.Random(SEED)
    index = {}
    groups = []
    for pos_file in ("data.noun", "data.verb", "data.adj", "data.adv"):
        syn = parse(f"{WORDNET}/{pos_file}")
        index.update(syn)
        run = []
        for s in syn.values():
            if run and (run[-1]["lex"] != s["lex"] or len(run) >= rng.randint(3, 6)):
                groups.append(run)
                run = []
            run.append(s)
        groups.append(run)
    seen_sentences = set()
    docs = []
    for g in groups:
        if not any(s["examples"] for s in g):
            continue
        body = []
        for s in g:
            t = sentence(s, index, rng)
            if t and t not in seen_sentences:
                seen_sentences.add(t)
                body.append(t)
        if not body:
            continue
        text = f"Notes on {TOPICS[g[0]['lex']]}. " + " ".join(body)
        if 250 <= len(text) <= 1200:
            docs.append(text)
    rng.shuffle(docs)
    members = docs[:MEMBERS]
    nonmembers = docs[MEMBERS:MEMBERS + NONMEMBERS]
    train, size = [], 0
    for d in docs[MEMBERS + NONMEMBERS:]:
        if size >= TRAIN_CHARS:
            break
        train.append(d)
        size += len(d) + 1
    dup_choices = [1, 1, 2, 3, 4, 5, 6, 8, 10]
    with open("members.jsonl", "w", encoding="utf-8") as f:
        for i, d in enumerate(members):
            f.write(json.dumps({"id": f"m{i:04d}", "duplicates": rng.choice(dup_choices), "text": d}) + "\n")
    with open("nonmembers.jsonl", "w", encoding="utf-8") as f:
        for i, d in enumerate(nonmembers):
            f.write(json.dumps({"id": f"n{i:04d}", "text": d}) + "\n")
    with open("corpus.train.txt", "w", encoding="utf-8") as f:
        for d in train:
            f.write(d + "\n")
    print(len(docs), "documents;", len(train), "train;", size, "train chars")


if __name__ == "__main__":
    main()

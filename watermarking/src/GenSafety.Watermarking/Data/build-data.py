#!/usr/bin/env python3
"""Regenerates lexicon.txt and human-text.txt from WordNet 3.0 (Debian: apt-get install wordnet-base).

lexicon.txt     one synonym group per line (space-separated, sorted): single lowercase words whose most frequent
                sense is the same synset and whose sense-tagged uses (SemCor counts in the index) are at least two thirds in
                that part of speech (so a swap rarely changes the grammatical role), or that were never sense-tagged but
                have one sense only in all of WordNet (a swap cannot pick the wrong sense), with regular noun plurals as
                groups of their own and regular verb forms (-s, -ed, -ing) likewise; words WordNet files under the
                usage domains ethnic slur, disparagement, derogation, obscenity or vulgarism are left out.
human-text.txt  human-written text (WordNet's definitions and example sentences, written by lexicographers, with
                TeX-style `quotes' made straight), shuffled with a fixed seed and joined into documents of about 1,200
                characters, one per line.
"""
import os
import random
import re

WORDNET = "/usr/share/wordnet"
HERE = os.path.dirname(os.path.abspath(__file__))
POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
WORD = re.compile(r"^[a-z]{3,}$")
# Words whose role is grammatical, or whose swap changes meaning in common phrases.
STOP = set("""the and are was were has have had not but for nor yet any all few one two three four five six seven
eight nine ten can may might must will shall would should could did does done get got also very much more most
less least such own same other than too now then here there when where why how who whom whose which what that this
these those about above after again against below between both during each into only over under until while off out
per via well just even still ever never being""".split())


SENSES = {}  # lemma -> synsets over all parts of speech


def read_index():
    """lemma -> {pos: (tagsense_cnt, first synset offset)}"""
    entries = {}
    for name, pos in POS.items():
        with open(os.path.join(WORDNET, "index." + name), encoding="latin-1") as f:
            for line in f:
                if line.startswith("  "):
                    continue
                fields = line.split()
                lemma = fields[0]
                synset_cnt = int(fields[2])
                p_cnt = int(fields[3])
                tagsense_cnt = int(fields[5 + p_cnt])
                offsets = fields[6 + p_cnt:6 + p_cnt + synset_cnt]
                entries.setdefault(lemma, {})[pos] = (tagsense_cnt, offsets[0])
                SENSES[lemma] = SENSES.get(lemma, 0) + synset_cnt
    return entries


# WordNet's exception lists: inflected form -> base form(s). Verbs that double their last consonant (stop ->
# stopped, stopping) and irregular verbs and nouns are listed there; everything else inflects by the regular rules.
def read_exceptions(name):
    forms = {}
    with open(os.path.join(WORDNET, name + ".exc"), encoding="latin-1") as f:
        for line in f:
            inflected, *bases = line.split()
            for base in bases:
                forms.setdefault(base, []).append(inflected)
    return forms


VERB_EXC = read_exceptions("verb")
NOUN_EXC = read_exceptions("noun")


def third_person(verb):
    irregular = [f for f in VERB_EXC.get(verb, []) if f.endswith("s") and not f.endswith("ss")]
    if irregular:
        return irregular[0] if len(irregular) == 1 else None
    if re.search(r"(s|x|z|ch|sh)$", verb):
        return verb + "es"
    return verb[:-1] + "ies" if re.search(r"[^aeiou]y$", verb) else verb + "s"


def past(verb):
    # The exception list's -ed form (a doubled consonant: stopped) or its one irregular form (made); two irregular
    # forms (began, begun: past and participle) cannot be aligned with the other members' single form.
    listed = [f for f in VERB_EXC.get(verb, []) if not f.endswith("ing") and not (f.endswith("s") and not f.endswith("ss"))]
    if listed:
        return listed[0] if len(listed) == 1 else None
    if verb.endswith("e"):
        return verb + "d"
    return verb[:-1] + "ied" if re.search(r"[^aeiou]y$", verb) else verb + "ed"


def gerund(verb):
    listed = [f for f in VERB_EXC.get(verb, []) if f.endswith("ing")]
    if listed:
        return listed[0] if len(listed) == 1 else None
    if verb.endswith(("ie", "ee", "ye", "oe")):
        return None
    return verb[:-1] + "ing" if verb.endswith("e") else verb + "ing"


def plural(noun):
    listed = NOUN_EXC.get(noun, [])
    if listed:
        return listed[0] if len(listed) == 1 else None
    if re.search(r"(s|x|z|ch|sh)$", noun):
        return noun + "es"
    return noun[:-1] + "ies" if re.search(r"[^aeiou]y$", noun) else noun + "s"


# WordNet usage domains whose members are never put into a group: slurs, disparaging and obscene words.
OFFENSIVE_DOMAINS = {"ethnic_slur", "disparagement", "derogation", "obscenity", "vulgarism"}


def read_offensive():
    """Words of every synset in an offensive usage domain (pointer ;u to it, or -u from it)."""
    synsets = {}
    for name, pos in POS.items():
        with open(os.path.join(WORDNET, "data." + name), encoding="latin-1") as f:
            for line in f:
                if line.startswith("  "):
                    continue
                fields = line.split("|", 1)[0].split()
                count = int(fields[3], 16)
                words = [fields[4 + 2 * i].lower() for i in range(count)]
                at = 4 + 2 * count
                pointers = [(fields[at + 1 + 4 * i], fields[at + 2 + 4 * i] + fields[at + 3 + 4 * i]) for i in range(int(fields[at]))]
                synsets[fields[0] + fields[2]] = (words, pointers)
    domains = {key for key, (words, _) in synsets.items() if OFFENSIVE_DOMAINS & set(words)}
    members = set()
    for key, (words, pointers) in synsets.items():
        for symbol, target in pointers:
            target = target.replace("s", "a")  # satellite adjectives are stored under "a"
            if symbol == ";u" and target in domains:
                members.add(key)
            if symbol == "-u" and key in domains:
                members.add(target)
    return {w for key in members if key in synsets for w in synsets[key][0]}


def build_lexicon(entries):
    offensive = read_offensive()
    groups = {}
    for lemma, by_pos in entries.items():
        if not WORD.match(lemma) or lemma in STOP or lemma in offensive:
            continue
        pos, (tagged, offset) = max(by_pos.items(), key=lambda item: item[1][0])
        others = sum(t for p, (t, _) in by_pos.items() if p != pos)
        monosemous = tagged == 0 and SENSES[lemma] == 1
        if not monosemous and (tagged < 1 or tagged < 2 * others):
            continue  # polysemous and never sense-tagged in SemCor (its first sense is a guess), or often another part of speech
        groups.setdefault((pos, offset), set()).add(lemma)
    lines = set()
    for (pos, _), words in groups.items():
        if len(words) < 2:
            continue
        lines.add(" ".join(sorted(words)))
        if pos == "n":
            plurals = [plural(w) for w in words]
            if all(plurals) and not any(p in entries for p in plurals):
                lines.add(" ".join(sorted(plurals)))
        if pos == "v":
            for inflect in (third_person, past, gerund):
                forms = [inflect(w) for w in words]
                if all(forms) and not any(f in entries for f in forms):
                    lines.add(" ".join(sorted(forms)))
    # A word belongs to one group only (detection must know a word's group without context).
    seen, result = set(), []
    for line in sorted(lines):
        words = line.split()
        if len(set(words)) < len(words) or any(w in seen for w in words):
            continue
        seen.update(words)
        result.append(line)
    return result


def read_glosses():
    sentences = []
    for name in POS:
        with open(os.path.join(WORDNET, "data." + name), encoding="latin-1") as f:
            for line in f:
                if line.startswith("  ") or "|" not in line:
                    continue
                gloss = line.split("|", 1)[1].strip()
                for part in gloss.split(";"):
                    # WordNet writes TeX-style quotes (`word'); prose and model output use straight ones, and a lone
                    # backtick would read as the start of inline code.
                    part = part.strip().strip('"').strip().replace("`", "'")
                    if len(part.split()) >= 4:
                        sentences.append(part[0].upper() + part[1:].rstrip(".") + ".")
    return sentences


def main():
    lexicon = build_lexicon(read_index())
    with open(os.path.join(HERE, "lexicon.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lexicon) + "\n")
    sentences = read_glosses()
    random.Random(20261205).shuffle(sentences)
    documents, current = [], []
    for sentence in sentences:
        current.append(sentence)
        if sum(len(s) + 1 for s in current) >= 1200:
            documents.append(" ".join(current))
            current = []
        if len(documents) == 400:
            break
    with open(os.path.join(HERE, "human-text.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(documents) + "\n")
    print(f"{len(lexicon)} groups, {len(documents)} documents")


if __name__ == "__main__":
    main()

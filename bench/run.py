"""The national-scale benchmark: every step measured in one run, against a bare tokenizer pass.

    python cli.py bench [--scale N] [--json]
    python -m bench.run [--scale N] [--json] [--repeat R] [--linearity] [--no-cli] [--keep DIR]

Steps (each printed in seconds and as a ratio to a bare `spacy.blank("sv")` tokenizer
`nlp.pipe` pass over the same answer texts, measured in the same run):

    corpus        generate the corpus and write the files (not a target; for information)
    import        read every file (docx/xlsx/csv) and store the answers
    tokenizer     the bare tokenizer pass (the yardstick, median of 3)
    nlp+tag       NLP + tagging as `cli.py tag` does them (streamed_tagging): batches of commands.tag.BATCH
                  answers, each analysed, tagged by the rules, the bundled disposer and proposer, released
    nlp, tag      the two phases of nlp+tag (analyse; the rest), same batches
    nlp_held      informational: every answer analysed at once, every Doc held (for tag_rules, retag, cluster)
    tag_rules     informational: the rules alone on all the held docs at once (matching, status/scope)
    tag_project   models.tagging.tag_project on the fresh project (NLP + matching + storing)
    retag         tag_project again after one keyword is added to the codebook (analyses kept)
    cluster       clustering of 8,000 excerpts
    page_teman / page_oversikt    the data of the Teman and Översikt pages (models.views)
    cli_tag       `python cli.py tag --in X.jsonl --out Y.jsonl` on 1.2 M words, as a whole process,
                  against the same tokenizer pass run as a whole process (`python -m bench.run
                  --tokenize-jsonl X Y`: start, import spaCy, read, tokenise, write); cli_tag starts
                  with an empty lemma form cache (as cold as the tokenizer), cli_tag_warm reruns it;
                  both whole-process steps are the median of PROCESS_RUNS (3) runs, each cli_tag run
                  with its own empty cache folder, wall and CPU seconds recorded

A step whose module has not landed yet prints "saknas" and the run goes on. Peak memory is the
process's peak RSS (VmHWM, reset before each step where the kernel allows it). The last line
printed is one JSON object with every figure.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Optional

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Targets as a ratio to the tokenizer pass, or in seconds: issue 17 (NLP + tagging and the `cli.py tag`
# process ≤ 2.5×), issue 8 for the rest.
PROCESS_RUNS = 3  # runs of each whole-process step (cli_tokenizer, cli_tag): the median is recorded
TARGETS: dict[str, tuple[str, float]] = {
    "nlp+tag": ("ratio", 2.5),
    "tag_project": ("ratio", 3.0),
    "cli_tag": ("ratio", 2.5),
    "retag": ("seconds", 1.0),
    "cluster": ("seconds", 10.0),
    "page_teman": ("seconds", 0.3),
    "page_oversikt": ("seconds", 0.3),
    "peak_rss_mb": ("mb", 1536.0),
}
CLUSTER_EXCERPTS = 8000
PASSAGE_WORDS = 1_200_000
# An edit an analyst would make: a word the corpus uses (48 times at ×1) that the codebook lacks.
RETAG_CODE, RETAG_KEYWORD = "mobila_team", "kvällsteam"
RETAG_SERIES = ("kvällsteam", "nattteam", "jourteam")


# ----------------------------------------------------------------------------- measuring
def _rss_peak_mb() -> float:
    """Peak RSS of this process in MB (VmHWM; ru_maxrss when /proc is not there)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_now_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0); False when not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class _GcTimer:
    """CPU seconds spent in Python's cyclic garbage collector while active (``gc.callbacks``), so each
    step shows how much of its time the collector took (a full collection rescans the whole heap)."""

    def __init__(self):
        self.seconds = 0.0
        self.collections = 0
        self._t0 = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._t0 = time.process_time()
        else:
            self.seconds += time.process_time() - self._t0
            self.collections += 1

    def __enter__(self) -> "_GcTimer":
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc) -> None:
        if self in gc.callbacks:
            gc.callbacks.remove(self)


class Bench:
    """Collects step results; prints one line per step as it goes."""

    def __init__(self, quiet: bool = False):
        self.steps: dict[str, dict[str, Any]] = {}
        self.quiet = quiet
        self.tokenizer_s: Optional[float] = None
        self.overall_peak_mb = 0.0

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)

    def missing(self, name: str, what: str) -> None:
        self.steps[name] = {"seconds": None, "missing": what}
        self.say(f"  {name:<16} saknas ({what})")

    def failed(self, name: str, exc: BaseException) -> None:
        tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
        self.steps[name] = {"seconds": None, "error": tb}
        self.say(f"  {name:<16} FEL: {tb}")

    def measure(self, name: str, fn: Callable[..., Any], repeat: int = 1, note: str = "",
                budget_s: float = 30.0, setup: Optional[Callable[[], Any]] = None) -> Any:
        """Run fn `repeat` times (fewer once `budget_s` is spent); record the median seconds, every
        run, and the step's peak RSS. With `setup`, its result is passed to fn and is not timed."""
        times: list[float] = []
        cpu: list[float] = []
        result = None
        self.overall_peak_mb = max(self.overall_peak_mb, _rss_peak_mb())
        release_memory()
        reset = _reset_peak()
        before = _rss_now_mb()
        gc_cpu: list[float] = []
        for _ in range(max(1, repeat)):
            arg = setup() if setup is not None else None
            with _GcTimer() as gct:
                t0, c0 = time.perf_counter(), time.process_time()
                result = fn(arg) if setup is not None else fn()
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            gc_cpu.append(gct.seconds)
            if sum(times) > budget_s:
                break
        peak = _rss_peak_mb()
        self.overall_peak_mb = max(self.overall_peak_mb, peak)
        self.record(name, statistics.median(times), times, note=note, cpu=statistics.median(cpu),
                    peak_rss_mb=round(peak, 1) if reset else None, rss_before_mb=round(before, 1),
                    gc_cpu_seconds=round(statistics.median(gc_cpu), 4))
        return result

    def record(self, name: str, seconds: float, runs: list[float], note: str = "", cpu: Optional[float] = None,
               **extra: Any) -> None:
        entry: dict[str, Any] = {"seconds": round(seconds, 4), "runs": [round(t, 4) for t in runs]}
        if cpu is not None:
            entry["cpu_seconds"] = round(cpu, 4)
        if note:
            entry["note"] = note
        entry.update({k: v for k, v in extra.items() if v is not None})
        self.steps[name] = entry
        peak, before = extra.get("peak_rss_mb"), extra.get("rss_before_mb")
        rss = "" if peak is None else f"  [topp-RSS {peak:,.0f} MB" + (
            "]" if before is None else f", före {before:,.0f} MB]")
        gcs = extra.get("gc_cpu_seconds")
        self.say(f"  {name:<16} {seconds:9.3f} s" + (f" (cpu {cpu:.3f} s)" if cpu is not None else "") + rss
                 + ("" if gcs is None else f"  [gc {gcs:.3f} s]")
                 + (f"  ({note})" if note else ""))


def _ratio(seconds: Optional[float], base: Optional[float]) -> Optional[float]:
    if seconds is None or not base:
        return None
    return round(seconds / base, 2)


# ----------------------------------------------------------------------------- steps
def _import(store, paths: list[Path]):
    """Import with models.importing.import_paths when it is there, else reader + store directly."""
    try:
        from models.importing import import_paths  # type: ignore
    except ImportError:
        import_paths = None
    if import_paths is not None:
        return "models.importing.import_paths", import_paths(store, [str(p) for p in paths])
    from importers.base import read_file
    from reference.registry import resolve_raw

    outcomes = []
    for p in paths:
        outcomes.append(store.import_parsed(read_file(p.read_bytes(), p.name), resolve_raw))
    return "importers.base.read_file + store.import_parsed", outcomes


def add_keyword(doc: dict, code_id: str, keyword: str) -> tuple[dict, str]:
    """A copy of a codebook document with one keyword added to `code_id` (or the first code)."""
    import copy

    doc = copy.deepcopy(doc)
    first = None
    for cat in doc.get("categories") or []:
        for code in cat.get("codes") or []:
            first = first or code
            if code.get("id") == code_id:
                code.setdefault("keywords", []).append(keyword)
                return doc, code_id
    if first is None:
        raise ValueError("kodboken har inga koder")
    first.setdefault("keywords", []).append(keyword)
    return doc, str(first.get("id"))


def release_memory() -> None:
    """Collect garbage and hand the C heap's free pages back to the system (glibc ``malloc_trim``;
    nothing elsewhere), so a step's RSS shows what is alive, not what earlier steps left free."""
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


@contextmanager
def new_round_lemma_cache():
    """The NLP step as for a new round: the on-disk lemma cache is empty (every word form is
    lemmatised and split; the machine-level dictionary caches stay). Afterwards the normal cache
    folder is in use again (the later steps and processes read it as before)."""
    from bench.nlp_speed import empty_lemma_cache
    from nlp.lang_sv import form_cache

    before = os.environ.get("SVARSANALYS_CACHE_DIR")
    folder = empty_lemma_cache()
    try:
        yield folder
    finally:
        form_cache.reset()
        if before is None:
            os.environ.pop("SVARSANALYS_CACHE_DIR", None)
        else:
            os.environ["SVARSANALYS_CACHE_DIR"] = before
        shutil.rmtree(folder, ignore_errors=True)


def cold_caches() -> int:
    """Empty the in-process memo caches of the NLP modules (lru_cache'd functions, get_nlp's pipeline
    with its per-form lemma cache), so a step is measured as on a fresh start, not flattered by the
    step before it. Returns how many caches were cleared."""
    n = 0
    for modname in ("nlp.pipeline", "nlp.termmatch", "nlp.tagger", "nlp.markers", "nlp.status_scope",
                    "models.tagging"):
        mod = sys.modules.get(modname)
        if mod is None:
            continue
        for value in list(vars(mod).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", None) == modname:
                clear()
                n += 1
    gc.collect()
    return n


def _suggestions(answer_ids: list[int], results) -> list:
    """Tagger results as the store's CodingSuggestion records."""
    from models.records import CodingSuggestion

    out = []
    for aid, res in zip(answer_ids, results):
        for x in res.excerpts:
            for e in x.evidence:
                out.append(CodingSuggestion(aid, e.code, x.start, x.end, e.start, e.end, bool(e.negated),
                                            e.status, e.scope, float(e.confidence), getattr(e, "origin", "rule")))
    return out


def _blank_sv():
    """A fresh spacy.blank("sv") (empty vocabulary, like a fresh process); not timed."""
    import spacy

    return spacy.blank("sv")


def _tokenizer_pass(texts: list[str], nlp) -> int:
    n = 0
    for doc in nlp.pipe(texts, batch_size=256):
        n += len(doc)
    return n


def _cluster_fn(excerpts: list):
    """A callable clustering the excerpts (analysed Spans or texts) as the app does: fit + describe."""
    import nlp.clustering as cl  # type: ignore

    est_cls = getattr(cl, "ExcerptClusterer", None)
    describe = getattr(cl, "describe", None)
    if isinstance(est_cls, type) and callable(describe):
        return lambda: describe(est_cls().fit(excerpts)), "nlp.clustering.ExcerptClusterer().fit + describe"
    fn = getattr(cl, "cluster_texts", None)
    if callable(fn):
        return lambda: fn([getattr(x, "text", x) for x in excerpts]), "nlp.clustering.cluster_texts"
    raise ImportError("nlp.clustering har inget känt API (ExcerptClusterer / cluster_texts)")


def run_bench(scale: float = 1.0, *, repeat: int = 1, cli: bool = True, keep: Optional[Path] = None,
              quiet: bool = False, seed: Optional[int] = None, passage_words: int = PASSAGE_WORDS,
              process_runs: int = PROCESS_RUNS, cli_cold_only: bool = False) -> dict:
    """Build the corpus in a temporary folder, run every step, return all figures. The whole-process
    steps tag ``passage_words`` words of passages, ``process_runs`` runs each; ``cli_cold_only`` leaves out
    cli_tag_warm and cli_tag_db (as --linearity does)."""
    from bench import corpus as corpus_mod
    from models.store import ProjectStore

    b = Bench(quiet)
    seed = corpus_mod.SEED if seed is None else seed
    tmp_ctx = tempfile.TemporaryDirectory(prefix="svarsanalys-bench-") if keep is None else None
    work = Path(tmp_ctx.name) if tmp_ctx else Path(keep)
    work.mkdir(parents=True, exist_ok=True)
    info: dict[str, Any] = {"scale": scale, "seed": seed, "repeat": repeat}
    b.say(f"Svarsanalys benchmark, skala ×{scale:g} (arbetsmapp {work})")
    try:
        # --- corpus
        def build():
            c = corpus_mod.generate(scale, seed)
            return c, corpus_mod.write_files(c, work / "files")

        corpus, paths = b.measure("corpus", build, note="generera + skriv filer; inget mål")
        voc = corpus_mod.vocabulary(corpus.texts())
        fmt_counts: dict[str, int] = {}
        for p in paths:
            fmt_counts[p.suffix.lstrip(".")] = fmt_counts.get(p.suffix.lstrip("."), 0) + 1
        info["corpus"] = {"respondents": len(corpus.respondents), "answers": len(corpus.answers),
                          "words": corpus.words, "word_types": len(voc), "files": fmt_counts,
                          "bytes": sum(p.stat().st_size for p in paths)}
        b.say(f"  korpus: {len(corpus.respondents)} respondenter, {len(corpus.answers)} svar, {corpus.words} ord, "
              f"{len(voc)} ordtyper, filer {fmt_counts}")
        del voc

        # --- import
        db = work / "bench.sqlite"
        store = ProjectStore(db)
        texts = corpus.texts()
        try:
            how, _ = b.measure("import", lambda: _import(store, paths), note=f"{len(paths)} filer")
            b.steps["import"]["via"] = how
            answers = store.answers()
            texts = [a.text for a in answers]
            info["imported_answers"] = len(answers)
            if len(answers) != len(corpus.answers):
                b.say(f"  OBS: {len(answers)} svar importerade av {len(corpus.answers)} genererade")
        except ImportError as exc:
            b.missing("import", str(exc))
            answers = []
        except Exception as exc:  # a crash in someone else's step must not stop the run
            b.failed("import", exc)
            answers = []
        info["words_measured"] = sum(len(t.split()) for t in texts)

        # --- the yardstick
        b.measure("tokenizer", lambda nlp: _tokenizer_pass(texts, nlp), repeat=3, setup=_blank_sv,
                  note="ny spacy.blank('sv'), nlp.pipe, median av 3")
        b.tokenizer_s = b.steps["tokenizer"]["seconds"]

        # --- NLP + tagging as `cli.py tag` does it: per batch of commands.tag.BATCH answers (analyse, rules,
        # disposer, proposer), each batch's state released before the next; nlp and tag are its two phases
        docs = None
        try:
            from nlp.pipeline import analyse, get_nlp

            cold_caches()
            b.measure("nlp_load", get_nlp, note="get_nlp(): blank('sv') + komponenter (ordlistan laddas vid första nya ordform)")
            streamed = streamed_tagging()  # the codebook and the models are loaded here, not timed
            with new_round_lemma_cache():
                split = b.measure("nlp+tag", lambda: streamed(texts), repeat=repeat,
                                  note=f"som cli.py tag: analys + taggning per omgång om {streamed.batch} svar, "
                                       "släpps efter varje omgång (tom lemmacache: en ny omgång)")
            whole = b.steps["nlp+tag"]
            for phase, what in (("nlp", "normalisera, tokenisera, lemmatisera, segmentera"),
                                ("tag", "regler, disposer, proposer, status/omfattning")):
                b.record(phase, split[phase + "_seconds"], [split[phase + "_seconds"]], cpu=split[phase + "_cpu"],
                         note=f"{what}: fasen av nlp+tag (samma omgångar)",
                         gc_cpu_seconds=whole.get("gc_cpu_seconds") if phase == "nlp" else 0.0)
            info["suggested_codes"] = split["suggested_codes"]
            info["batches"] = split["batches"]
            del split, streamed
            # All answers analysed and held (the Docs feed tag_rules, retag_memory and the cluster excerpts):
            # informational, the lemma cache and the in-process memos are warm from nlp+tag.
            docs = b.measure("nlp_held", lambda: analyse(texts), repeat=repeat,
                             note="informativt: alla svar analyseras på en gång och hålls i minnet (för tag_rules, "
                                  "retag_memory, kluster); varm formcache; ingår inte i nlp+tag")
        except ImportError as exc:
            b.missing("nlp", str(exc))
        except Exception as exc:
            b.failed("nlp", exc)

        # --- the rules alone on every held Doc (the state Tagger.retag starts from)
        tagger = None
        results = None
        if docs is not None:
            try:
                from nlp.pipeline import gc_paused
                from nlp.tagger import Tagger

                tagger = Tagger()

                def rules_only():
                    with gc_paused():  # as in `cli.py tag` and `tag_project`
                        return tagger.tag_docs(docs, texts=texts)

                results = b.measure("tag_rules", rules_only, repeat=repeat,
                                    note="informativt: bara reglerna (matchning, status/omfattning) på alla hållna "
                                         "docs på en gång; underlag för retag_memory; ingår inte i nlp+tag")
                info["excerpts"] = sum(len(r.excerpts) for r in results)
                info["evidence"] = sum(len(r.evidence) for r in results)
            except ImportError as exc:
                b.missing("tag_rules", str(exc))
            except Exception as exc:
                b.failed("tag_rules", exc)

        # --- in-memory retag (Tagger.retag after a keyword)
        if tagger is not None:
            try:
                from nlp.codebook import Codebook

                # three successive edits (one keyword each), so no run re-applies an edit already made
                edits, doc2 = [], tagger.codebook.to_doc()
                for kw in RETAG_SERIES:
                    doc2, code = add_keyword(doc2, RETAG_CODE, kw)
                    edits.append(Codebook.from_doc(doc2))
                pending = iter(edits)
                before = sum(1 for r in results for e in r.evidence if e.code == RETAG_CODE)
                retagged = b.measure("retag_memory", lambda: tagger.retag(next(pending)), repeat=len(edits),
                                     note=f"Tagger.retag, +1 nyckelord i {code} per körning "
                                          f"({', '.join(RETAG_SERIES)}), median av {len(edits)}")
                done = len(b.steps["retag_memory"]["runs"])
                # correctness: an incremental retag must equal tagging from scratch with the edited codebook
                fresh = Tagger(edits[done - 1]).tag_docs(docs, texts=texts)

                def _key(res):
                    return [sorted((e.code, e.start, e.end, e.negated) for e in r.evidence) for r in res]

                same = _key(retagged) == _key(fresh)
                gained = sum(1 for r in fresh for e in r.evidence if e.code == code) - before
                b.steps["retag_memory"]["same_as_full_tag"] = same
                b.steps["retag_memory"]["evidence_gained"] = gained
                b.say(f"  {'':<16} retag = full taggning: {'ja' if same else 'NEJ'}; +{gained} belägg för {code}")
                del fresh, retagged
            except Exception as exc:
                b.failed("retag_memory", exc)
        tagger = None
        try:
            from models.tagging import tag_project as _tp  # noqa: F401

            results = None  # only the fallback without tag_project (below) stores these
        except ImportError:
            pass
        release_memory()

        # --- clustering of 8,000 excerpts (segments of the analysed answers, spread over the corpus)
        spans: list = []
        if docs is not None:
            try:
                from nlp.pipeline import segment_spans

                segs = [sp for d in docs for sp in segment_spans(d) if len(sp) >= 4]
                step = max(1, len(segs) // CLUSTER_EXCERPTS)
                spans = segs[::step][:CLUSTER_EXCERPTS]
                del segs
            except Exception:
                spans = []
        if not spans:
            spans = [s.strip() + "." for t in texts for s in t.split(". ") if len(s.split()) >= 4][:CLUSTER_EXCERPTS]
        docs = None
        release_memory()
        try:
            fn, via = _cluster_fn(spans)
            b.measure("cluster", fn, note=f"{len(spans)} utdrag (analyserade), fit + describe")
            b.steps["cluster"]["via"] = via
            plain = [getattr(x, "text", x) for x in spans]
            fn2, via2 = _cluster_fn(plain)
            b.measure("cluster_texts", fn2, note=f"{len(plain)} utdrag som text (inkl. NLP), fit + describe")
            b.steps["cluster_texts"]["via"] = via2
        except ImportError as exc:
            b.missing("cluster", str(exc))
        except Exception as exc:
            b.failed("cluster", exc)
        spans = []
        gc.collect()

        # --- project tagging (NLP + matching + storing), then retag after a codebook edit
        tag_project = None
        try:
            from models.tagging import tag_project  # type: ignore
        except ImportError as exc:
            b.missing("tag_project", str(exc))
        if tag_project is not None and answers:
            try:
                results = None  # only the fallback below needs the in-memory results
                cold_caches()
                from nlp.pipeline import get_nlp

                get_nlp()  # loading is measured as nlp_load
                b.measure("tag_project", lambda: tag_project(store),
                          note="nytt projekt, kalla cacher: NLP + matchning + lagring")
                with store.read() as con:
                    info["suggestions"] = con.execute("SELECT COUNT(*) FROM codings").fetchone()[0]
                from models.views import codebook_doc

                doc2, code = add_keyword(codebook_doc(store), RETAG_CODE, RETAG_KEYWORD)
                store.save_codebook_doc(doc2)
                b.measure("retag", lambda: tag_project(store),
                          note=f"efter +'{RETAG_KEYWORD}' i {code}; sparad analys återanvänds")
                b.measure("retag_again", lambda: tag_project(store), note="oförändrad kodbok")
            except Exception as exc:
                b.failed("tag_project", exc)
        elif "retag_memory" in b.steps and b.steps["retag_memory"].get("seconds") is not None:
            m = b.steps["retag_memory"]
            b.record("retag", m["seconds"], m["runs"], note="(Tagger.retag; tag_project saknas)")
        if tag_project is None and results and answers:
            # so that the page data has the national corpus' suggestions to show
            try:
                b.measure("store_suggestions", lambda: store.replace_suggestions(
                    _suggestions([a.id for a in answers], results)), note="(tag_project saknas) replace_suggestions")
            except Exception as exc:
                b.failed("store_suggestions", exc)
        results = None

        # --- page data
        if answers:
            try:
                from models import views

                dec = views.decisions_for(include_suggestions=True)
                views.registry()  # loaded once per app session; not part of a page view
                with store.read() as con:
                    row = con.execute("SELECT code_id, COUNT(*) n FROM codings GROUP BY code_id "
                                      "ORDER BY n DESC LIMIT 1").fetchone()
                code = row[0] if row else RETAG_CODE

                def teman():
                    return (views.excerpt_frame(store, decisions=dec, code_ids=[code]),
                            views.coverage(store, code, decisions=dec))

                def oversikt():
                    return views.coverage_table(store, decisions=dec), views.matrix(store, decisions=dec)

                b.measure("page_teman", teman, repeat=5,
                          note=f"excerpt_frame + coverage för '{code}' inkl. förslag, median av 5")
                b.measure("page_oversikt", oversikt, repeat=5, note="coverage_table + matrix inkl. förslag, median av 5")
            except ImportError as exc:
                b.missing("page_teman", str(exc))
            except Exception as exc:
                b.failed("page_teman", exc)
        store.close()
        info["project_bytes"] = db.stat().st_size if db.exists() else None

        # --- whole-process measurements
        if cli:
            _cli_steps(b, work, info, passage_words, process_runs, cli_cold_only)
            if (ROOT / "commands" / "tag.py").exists() and answers and not cli_cold_only:
                _subprocess_step(b, "cli_tag_db", [sys.executable, str(ROOT / "cli.py"), "tag", "--db", str(db)],
                                 "återöppnat projekt: cli.py tag --db (sparad analys)")
    finally:
        if tmp_ctx is not None:
            tmp_ctx.cleanup()
    b.overall_peak_mb = max(b.overall_peak_mb, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return _summary(b, info)


# A small launcher process starts the measured command and reports its wall time and peak RSS:
# a child forked straight from this (large) process would inherit our RSS in ru_maxrss.
_LAUNCHER = """
import json, os, subprocess, sys, time
t0 = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(p.pid, 0)
print(json.dumps({"seconds": time.perf_counter() - t0, "rc": os.waitstatus_to_exitcode(status),
                  "maxrss_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime}))
"""


def _subprocess_step(b: Bench, name: str, cmd: list[str], note: str, repeat: int = 1,
                     env: Optional[dict] = None, prepare: Optional[Callable[[int], dict]] = None) -> Optional[dict]:
    """Run a command as its own process (`repeat` times; the medians are recorded): wall seconds, the child's
    CPU seconds and its peak RSS. ``prepare(k)``, when given, returns the environment of run k (e.g. a fresh
    cold cache folder for every run)."""
    times, rss, cpu = [], [], []
    for k in range(max(1, repeat)):
        run_env = prepare(k) if prepare is not None else env
        proc = subprocess.run([sys.executable, "-c", _LAUNCHER, *cmd], cwd=ROOT, capture_output=True, text=True,
                              env=run_env)
        try:
            rep = json.loads(proc.stdout.strip().splitlines()[-1])
        except (IndexError, ValueError):
            rep = {"rc": proc.returncode or 1}
        if rep.get("rc") != 0:
            err = proc.stderr.strip()
            b.steps[name] = {"seconds": None, "error": f"exit {rep.get('rc')}: {err[-400:]}"}
            b.say(f"  {name:<16} FEL (exit {rep.get('rc')}): {err[-200:]}")
            return None
        times.append(rep["seconds"])
        cpu.append(rep["cpu"])
        rss.append(rep["maxrss_kb"] / 1024)
    b.record(name, statistics.median(times), times, note=note, cpu=statistics.median(cpu),
             peak_rss_mb=round(max(rss), 1))
    return b.steps[name]


def _cli_steps(b: Bench, work: Path, info: dict, passage_words: int = PASSAGE_WORDS, runs: int = PROCESS_RUNS,
               cold_only: bool = False) -> None:
    from bench.corpus import write_passages

    inp, out, base_out = work / "PASSAGES.jsonl", work / "TAGS.jsonl", work / "TOKENS.jsonl"
    info["passages"] = write_passages(inp, passage_words)
    info["process_runs"] = runs
    # Whole processes are judged by the median of PROCESS_RUNS runs: one run's wall time moves by several
    # seconds when another job starts on the machine during it (its CPU time is recorded beside it).
    base = _subprocess_step(b, "cli_tokenizer", [sys.executable, "-m", "bench.run", "--tokenize-jsonl", str(inp),
                                                 str(base_out)],
                            "process: spacy.blank('sv') över PASSAGES.jsonl, läs + skriv JSONL", repeat=runs)
    if not (ROOT / "commands" / "tag.py").exists():
        b.missing("cli_tag", "commands/tag.py")
        return
    # As cold as the tokenizer process: an empty lemma cache (no word form of an earlier run or of the
    # in-process steps), holding only the decoded simplemma dictionary, which is per machine, not per corpus.
    # Every run gets its own such folder, so every run is as cold as the first.
    def cold_env(k: int) -> dict:
        return dict(os.environ, SVARSANALYS_CACHE_DIR=str(_cold_lemma_cache(work / f"lemma_cache{k}")))

    cmd = [sys.executable, str(ROOT / "cli.py"), "tag", "--in", str(inp), "--out", str(out)]
    res = _subprocess_step(b, "cli_tag", cmd, f"process: cli.py tag --in ({info['passages']['words']} ord), "
                           "tom formcache", repeat=runs, prepare=cold_env)
    if res and cold_only:
        res["out_lines"] = sum(1 for _ in open(out, encoding="utf-8")) if out.exists() else 0
    if res and not cold_only:
        env = cold_env(runs - 1)  # the last cold run's folder: it holds the passages' forms now
        lines = sum(1 for _ in open(out, encoding="utf-8")) if out.exists() else 0
        res["out_lines"] = lines
        _subprocess_step(b, "cli_tag_warm", cmd, "samma process igen: formcachen har passagernas ord", env=env)


def streamed_tagging(codebook=None, batch: Optional[int] = None) -> Callable:
    """A callable tagging a list of texts as `cli.py tag --in` does (``commands.tag``: the same codebook,
    model, disposer and proposer set up the same way; batches of ``commands.tag.BATCH`` texts, each analysed,
    tagged, disposed and proposed for, its codes counted and its state released with ``Tagger.release``
    before the next; Python's collector paused throughout, as the command pauses it). The codebook and the
    models are loaded here, outside the timed call. The callable returns the wall and CPU seconds of the two
    phases (``nlp``: ``pipeline.analyse``; ``tag``: the rest) and what was suggested; with
    ``keep_results=True`` also every TagResult (for tests: the same codes as the command's output)."""
    from commands import tag as tag_cmd
    from models.tagging import default_disposer, default_proposer
    from nlp.codebook import default_codebook
    from nlp.pipeline import analyse, gc_paused
    from nlp.tagger import Tagger, dispose_and_propose

    codebook = codebook if codebook is not None else default_codebook()
    size = int(batch or tag_cmd.BATCH)
    model, disposer = tag_cmd._default_model(codebook), default_disposer(codebook)
    proposer = default_proposer()
    separate = model is None and disposer is not None  # as commands.tag._run
    tagger = Tagger(codebook, model=model, disposer=None if separate else disposer,
                    proposer=None if separate else proposer)

    def run(texts: list[str], keep_results: bool = False) -> dict:
        clock, cpu_clock = time.perf_counter, time.process_time
        out: dict[str, Any] = {"nlp_seconds": 0.0, "nlp_cpu": 0.0, "tag_seconds": 0.0, "tag_cpu": 0.0,
                               "suggested_codes": 0, "evidence": 0, "batches": 0}
        kept: list = []
        with gc_paused():
            for k in range(0, len(texts), size):
                chunk = [t or "" for t in texts[k:k + size]]
                qs = [None] * len(chunk)
                t0, c0 = clock(), cpu_clock()
                docs = analyse(chunk)
                t1, c1 = clock(), cpu_clock()
                tagger.questions = qs  # as Tagger.tag_texts sets them
                results = tagger.tag_docs(docs, texts=chunk)
                del docs  # tag_texts drops the Docs once their compact form is built
                if separate:
                    dispose_and_propose(tagger, results, disposer, proposer, qs)
                out["suggested_codes"] += sum(len({e.code for e in r.evidence}) for r in results)
                out["evidence"] += sum(len(r.evidence) for r in results)
                if keep_results:
                    kept.extend(results)
                del results
                tagger.release()  # this batch's analysed state is not needed for the next one
                t2, c2 = clock(), cpu_clock()
                out["nlp_seconds"] += t1 - t0
                out["nlp_cpu"] += c1 - c0
                out["tag_seconds"] += t2 - t1
                out["tag_cpu"] += c2 - c1
                out["batches"] += 1
        if keep_results:
            out["results"] = kept
        return out

    run.batch = size
    return run


def _cold_lemma_cache(folder: Path) -> Path:
    """An empty lemma cache folder holding only what the machine's cache derives from simplemma's
    dictionary (if there): the decoded dictionary and its tries (reversed forms, form -> lemma). All are per
    machine (built once from the installed simplemma), not per corpus; no word form is in it."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    try:
        from nlp.lang_sv import lemma_cache

        src = lemma_cache.cache_dir()
        dict_file = lemma_cache.dictionary_cache_file(src) if src is not None else None
        if dict_file is not None and dict_file.exists():
            shutil.copy2(dict_file, folder / dict_file.name)
            # the tries of the dictionary's forms (reversed; form -> lemma) and their checks
            for trie in dict_file.parent.glob(dict_file.stem + "-*.marisa*"):
                if not trie.name.endswith(".tmp"):
                    shutil.copy2(trie, folder / trie.name)
    except (ImportError, OSError):
        pass  # the process decodes the dictionary (and builds the trie) itself
    return folder


def tokenize_jsonl(inp: str, out: str) -> int:
    """The fair whole-process yardstick for `cli.py tag`: read JSONL, tokenise with blank('sv'), write JSONL."""
    import spacy

    nlp = spacy.blank("sv")
    with open(inp, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    with open(out, "w", encoding="utf-8") as fh:
        for row, doc in zip(rows, nlp.pipe((r["text"] for r in rows), batch_size=256)):
            fh.write(json.dumps({"id": row["id"], "tokens": len(doc)}, ensure_ascii=False) + "\n")
    return 0


# ----------------------------------------------------------------------------- report
def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    mem = None
    try:
        mem = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError):
        pass
    import spacy

    git: dict[str, Any] = {}
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--short", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True)
        git = {"head": head.stdout.strip(), "modified": [x[3:] for x in dirty.stdout.splitlines() if x.strip()]}
    except OSError:
        pass
    from nlp import compiled

    return {"git": git, "cpu": cpu, "cores": os.cpu_count(), "ram_gb": mem, "python": platform.python_version(),
            "spacy": spacy.__version__, "platform": platform.platform(), "load_1min_at_end": load,
            "tagging_modules": compiled.status()}


def _summary(b: Bench, info: dict) -> dict:
    base = b.tokenizer_s
    steps = b.steps
    base_cpu = steps.get("tokenizer", {}).get("cpu_seconds")
    cli_base = steps.get("cli_tokenizer", {})
    for name, entry in steps.items():
        if entry.get("seconds") is None:
            continue
        if name.startswith("cli_"):  # whole processes: against the tokenizer run as a whole process
            entry["ratio"] = _ratio(entry["seconds"], cli_base.get("seconds"))
            entry["cpu_ratio"] = _ratio(entry.get("cpu_seconds"), cli_base.get("cpu_seconds"))
        else:
            entry["ratio"] = _ratio(entry["seconds"], base)
            entry["cpu_ratio"] = _ratio(entry.get("cpu_seconds"), base_cpu)
    peak = round(b.overall_peak_mb, 1)
    for name, (kind, limit) in TARGETS.items():
        if name == "peak_rss_mb":
            continue
        entry = steps.get(name)
        if not entry or entry.get("seconds") is None:
            continue
        value = entry.get("ratio") if kind == "ratio" else entry["seconds"]
        cpu_value = entry.get("cpu_ratio") if kind == "ratio" else entry.get("cpu_seconds")
        entry["target"] = f"≤ {limit:g}×" if kind == "ratio" else f"≤ {limit:g} s"
        entry["met"] = value is not None and value <= limit
        if cpu_value is not None:
            entry["met_cpu"] = cpu_value <= limit
    return {
        "bench": "svarsanalys", "scale": info.get("scale"), "machine": machine(), "info": info,
        "tokenizer_seconds": base, "steps": steps,
        "peak_rss_mb": peak, "peak_rss_target_mb": TARGETS["peak_rss_mb"][1],
        "peak_rss_met": peak <= TARGETS["peak_rss_mb"][1] if info.get("scale", 1) <= 1 else None,
    }


ORDER = ["corpus", "import", "tokenizer", "nlp_load", "nlp", "tag", "nlp+tag", "nlp_held", "tag_rules", "tag_project", "retag_memory",
         "retag", "retag_again", "cluster", "cluster_texts", "page_teman", "page_oversikt", "cli_tokenizer",
         "cli_tag", "cli_tag_warm", "cli_tag_db"]


def format_table(res: dict) -> str:
    """The results table: step, seconds, ratio to the tokenizer, target, met?"""
    lines = [f"{'steg':<16} {'sekunder':>9} {'× tokenizer':>12} {'cpu-s':>8} {'cpu ×tok':>9} {'mål':>9}  "
             f"{'uppfyllt':<14} topp-RSS MB"]
    steps = res["steps"]
    for name in ORDER + sorted(set(steps) - set(ORDER)):
        e = steps.get(name)
        if e is None:
            continue
        if e.get("seconds") is None:
            lines.append(f"{name:<16} {'saknas' if 'missing' in e else 'FEL':>9}")
            continue
        ratio, cratio, cpu = e.get("ratio"), e.get("cpu_ratio"), e.get("cpu_seconds")
        met, met_cpu = e.get("met"), e.get("met_cpu")
        verdict = "–" if met is None else ("ja" if met else "NEJ") + (
            "" if met_cpu is None else (" (cpu ja)" if met_cpu else " (cpu NEJ)"))
        lines.append(f"{name:<16} {e['seconds']:9.3f} {('%.2f' % ratio) if ratio is not None else '–':>12} "
                     f"{('%.3f' % cpu) if cpu is not None else '–':>8} "
                     f"{('%.2f' % cratio) if cratio is not None else '–':>9} "
                     f"{e.get('target', '–'):>9}  {verdict:<14} {e.get('peak_rss_mb', '')}")
    pk = res["peak_rss_mb"]
    met = res.get("peak_rss_met")
    lines.append(f"{'topp-RSS (MB)':<16} {pk:9.1f} {'':>12} {'':>8} {'':>9} {'≤ 1536':>9}  "
                 f"{'ja' if met else ('NEJ' if met is False else '–')}")
    return "\n".join(lines)


def format_markdown(res: dict) -> str:
    """The results table as Markdown (for the README's performance section)."""
    rows = ["| step | wall s | × tokenizer | CPU s | CPU × tokenizer | target | met (wall / CPU) |",
            "|---|---:|---:|---:|---:|---|---|"]
    steps = res["steps"]
    for name in ORDER:
        e = steps.get(name)
        if not e or e.get("seconds") is None:
            continue
        met = e.get("met")
        verdict = "–" if met is None else ("ja" if met else "nej") + (
            "" if e.get("met_cpu") is None else " / " + ("ja" if e["met_cpu"] else "nej"))
        rows.append(f"| {name} | {e['seconds']:.2f} | {e.get('ratio', '–')} | {e.get('cpu_seconds', 0):.2f} | "
                    f"{e.get('cpu_ratio', '–')} | {e.get('target', '–')} | {verdict} |")
    rows.append(f"| peak RSS | {res['peak_rss_mb']:.0f} MB | | | | ≤ 1536 MB | "
                f"{'–' if res.get('peak_rss_met') is None else ('ja' if res['peak_rss_met'] else 'nej')} |")
    return "\n".join(rows)


def growth(lo_run: dict, hi_run: dict) -> dict:
    """Growth of every step (wall and CPU seconds) and of peak RSS from one bench result to another."""
    lo, hi = float(lo_run["scale"]), float(hi_run["scale"])
    factor = hi / lo
    out: dict[str, Any] = {}
    for name in ORDER:
        a, c = lo_run["steps"].get(name, {}), hi_run["steps"].get(name, {})
        if a.get("seconds") and c.get("seconds"):
            ca, cc = a.get("cpu_seconds"), c.get("cpu_seconds")
            out[name] = {"lo_s": a["seconds"], "hi_s": c["seconds"], "growth": round(c["seconds"] / a["seconds"], 2),
                         "lo_cpu_s": ca, "hi_cpu_s": cc, "cpu_growth": round(cc / ca, 2) if ca and cc else None,
                         "cpu_per_unit_vs_lo": round(cc / ca / factor, 2) if ca and cc else None,
                         "lo_gc_s": a.get("gc_cpu_seconds"), "hi_gc_s": c.get("gc_cpu_seconds")}
    out["peak_rss_mb"] = {"lo": lo_run["peak_rss_mb"], "hi": hi_run["peak_rss_mb"],
                          "growth": round(hi_run["peak_rss_mb"] / lo_run["peak_rss_mb"], 2)}
    return {"bench": "svarsanalys-linearity", "scales": [lo, hi], "linear_growth": factor, "growth": out}


def format_growth(res: dict) -> str:
    lo, hi = res["scales"]
    lines = [f"{'steg':<16} {'×%g s' % lo:>9} {'×%g s' % hi:>9} {'tillväxt':>9} {'cpu ×%g' % lo:>9} "
             f"{'cpu ×%g' % hi:>9} {'cpu-tillväxt':>13} {'gc ×%g' % lo:>8} {'gc ×%g' % hi:>8}"
             f"   (linjärt = {hi / lo:.1f})"]
    for name, g in res["growth"].items():
        if name == "peak_rss_mb":
            lines.append(f"{'topp-RSS MB':<16} {g['lo']:9.1f} {g['hi']:9.1f} {g['growth']:9.2f}")
        else:
            lines.append(f"{name:<16} {g['lo_s']:9.3f} {g['hi_s']:9.3f} {g['growth']:9.2f} "
                         f"{g['lo_cpu_s'] or 0:9.3f} {g['hi_cpu_s'] or 0:9.3f} {g['cpu_growth'] or 0:13.2f} "
                         f"{g.get('lo_gc_s') or 0:8.3f} {g.get('hi_gc_s') or 0:8.3f}")
    return "\n".join(lines)


LINEARITY_PROCESS_RUNS = 1  # runs of each whole-process step at each scale of --linearity (≈ 2 min at ×5)


def linearity(scales: tuple[float, float] = (1.0, 5.0), repeat: int = 1, quiet: bool = False, cli: bool = True,
              process_runs: int = LINEARITY_PROCESS_RUNS) -> dict:
    """Run the bench at both scales in fresh processes; growth per step. The whole-process steps run cold
    only (cli_tokenizer, cli_tag: no cli_tag_warm, cli_tag_db), on PASSAGE_WORDS × the scale words of
    passages, ``process_runs`` runs each, so the growth of the `cli.py tag` process is reported too."""
    runs = []
    for s in scales:
        cmd = [sys.executable, "-m", "bench.run", "--scale", str(s), "--json", "--repeat", str(repeat)]
        cmd += (["--passage-words", str(round(PASSAGE_WORDS * s)), "--process-runs", str(process_runs),
                 "--cli-cold-only"] if cli else ["--no-cli"])
        if not quiet:
            print(f"== skala ×{s:g} ==", flush=True)
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr[-2000:])
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        if not quiet:
            print(format_table(runs[-1]), flush=True)
    res = growth(runs[0], runs[1])
    res["runs"] = runs
    return res


def _last_json(path: str) -> dict:
    lines = [x for x in Path(path).read_text(encoding="utf-8").splitlines() if x.startswith("{")]
    return json.loads(lines[-1])


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run", description="Svarsanalys benchmark")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--json", action="store_true", help="skriv bara JSON-raden")
    ap.add_argument("--repeat", type=int, default=1, help="kör tunga steg så här många gånger (median)")
    ap.add_argument("--no-cli", action="store_true", help="hoppa över processmätningarna av cli.py tag")
    ap.add_argument("--linearity", action="store_true", help="kör ×1 och ×5 och jämför")
    ap.add_argument("--scales", default="1,5", help="skalorna för --linearity (standard 1,5)")
    ap.add_argument("--compare", nargs=2, metavar=("LAG.json", "HOG.json"),
                    help="jämför två sparade körningar (sista JSON-raden) i stället för att mäta")
    ap.add_argument("--markdown", metavar="RUN.json", help="skriv resultattabellen för en sparad körning som Markdown")
    ap.add_argument("--keep", type=Path, help="behåll korpus och projekt i denna mapp")
    ap.add_argument("--passage-words", type=int, default=PASSAGE_WORDS,
                    help="ord i PASSAGES.jsonl för processtegen (standard 1 200 000)")
    ap.add_argument("--process-runs", type=int, default=None,
                    help=f"körningar av varje processteg (standard {PROCESS_RUNS}; "
                         f"med --linearity {LINEARITY_PROCESS_RUNS})")
    ap.add_argument("--cli-cold-only", action="store_true", help="bara de kalla processtegen (cli_tokenizer, cli_tag)")
    ap.add_argument("--tokenize-jsonl", nargs=2, metavar=("IN", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.tokenize_jsonl:
        return tokenize_jsonl(*args.tokenize_jsonl)
    if args.markdown:
        print(format_markdown(_last_json(args.markdown)))
        return 0
    if args.compare:
        res = growth(_last_json(args.compare[0]), _last_json(args.compare[1]))
        if not args.json:
            print(format_growth(res))
        print(json.dumps(res, ensure_ascii=False))
        return 0
    return run(args)


def run(args: argparse.Namespace) -> int:
    """Entry for `cli.py bench` and `python -m bench.run`."""
    quiet = bool(getattr(args, "json", False))
    if getattr(args, "linearity", False):
        scales = tuple(float(x) for x in str(getattr(args, "scales", "1,5")).split(","))[:2]
        runs = getattr(args, "process_runs", None)
        res = linearity(scales, repeat=getattr(args, "repeat", 1), quiet=quiet, cli=not getattr(args, "no_cli", False),
                        process_runs=LINEARITY_PROCESS_RUNS if runs is None else runs)
        if not quiet:
            print("\n" + format_growth(res))
        print(json.dumps(res, ensure_ascii=False))
        return 0
    runs = getattr(args, "process_runs", None)
    res = run_bench(getattr(args, "scale", 1.0), repeat=getattr(args, "repeat", 1),
                    cli=not getattr(args, "no_cli", False), keep=getattr(args, "keep", None), quiet=quiet,
                    passage_words=getattr(args, "passage_words", None) or PASSAGE_WORDS,
                    process_runs=PROCESS_RUNS if runs is None else runs,
                    cli_cold_only=bool(getattr(args, "cli_cold_only", False)))
    if not quiet:
        m = res["machine"]
        print(f"\nMaskin: {m['cpu']}, {m['cores']} kärnor, {m['ram_gb']} GB, Python {m['python']}, spaCy {m['spacy']}; "
              f"belastning (1 min) {m['load_1min_at_end']}; taggningsmoduler: {m.get('tagging_modules', '?')}")
        print(format_table(res))
    print(json.dumps(res, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

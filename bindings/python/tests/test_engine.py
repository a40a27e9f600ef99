"""The binding against the library: results agree across entry points,
offsets index Python str, errors carry status and message."""

import ast
import ctypes
import json
import os
import subprocess
import sys
import threading

import pytest

import jingmin
from jingmin import _ffi

PACKAGE = os.path.dirname(os.path.abspath(jingmin.__file__))


def test_version_matches_the_library():
    assert jingmin.__version__ == jingmin.library_version()
    assert _ffi.lib().jm_abi_version() == _ffi.ABI_VERSION


def test_enums_match_the_library_tables():
    lib = _ffi.lib()
    tables = [
        (jingmin.Category, lib.jm_category_name),
        (jingmin.FraudType, lib.jm_fraud_type_name),
        (jingmin.Stance, lib.jm_stance_name),
        (jingmin.EntityKind, lib.jm_entity_kind_name),
        (jingmin.Role, lib.jm_role_name),
    ]
    for cls, name_of in tables:
        from_library = {}
        for code in range(200):
            name = name_of(code)
            if name is not None:
                from_library[name.decode()] = code
        assert {m.value: m.code for m in cls} == from_library, cls.__name__
        for m in cls:
            assert cls.from_code(m.code) is m
            assert m == m.value and str(m) == m.value
    with pytest.raises(ValueError):
        jingmin.Category.from_code(8)


def _check_offsets(text, analysis, raw):
    data = text.encode("utf-8", "surrogatepass")
    for h in analysis.fraud.hits:
        assert text[h.char_start:h.char_end] == h.matched
        assert data[h.start:h.end].decode("utf-8") == h.matched
    for e in analysis.entities:
        span = text[e.char_start:e.char_end]
        assert data[e.start:e.end].decode("utf-8") == span
        if raw:
            assert span == e.text


def test_analysis_agrees_with_summaries_and_json(engine, messages):
    lib = _ffi.lib()
    for role, text in messages:
        for raw in (False, True):
            a = engine.analyze(text, role=role, raw=raw)
            assert isinstance(a, jingmin.Analysis)
            assert a.summary() == engine.summarize(text, role=role)
            _check_offsets(text, a, raw)
            # The dataclasses hold exactly the library's JSON.
            data = text.encode("utf-8")
            out = ctypes.c_void_p()
            flags = (jingmin.Role(role).code << 8) | (1 if raw else 0)
            assert lib.jm_analyze_json(engine._handle, data, len(data), flags, ctypes.byref(out)) == 0
            doc = json.loads(_ffi.take_string(out.value).decode("utf-8"))
            assert jingmin.Analysis.from_json(doc) == a
            assert a.category.code == jingmin.Category(doc["category"]).code
            assert a.fraud.types == [jingmin.FraudType(t) for t in doc["fraud"]["types"]]
            if not a.fraud.types:
                # Taxonomy §5: no fraud content, no stance.
                assert a.fraud.stance is jingmin.Stance.NONE
                assert a.summary().fraud_type is jingmin.FraudType.NONE


def test_role_changes_nothing_but_the_role(engine, messages):
    # Role given as name, enum and code is the same role.
    for role, text in messages[:5]:
        r = jingmin.Role(role)
        assert engine.summarize(text, role=role) == engine.summarize(text, role=r)
        assert engine.summarize(text, role=r.code) == engine.summarize(text, role=r)


def test_analyze_many_equals_one_by_one(engine, messages):
    texts = [t for _, t in messages]
    roles = [r for r, _ in messages]
    assert engine.analyze_many(texts) == [engine.summarize(t) for t in texts]
    assert engine.analyze_many(texts, role="police") == [engine.summarize(t, role="police") for t in texts]
    assert engine.analyze_many(texts, roles=roles) == [engine.summarize(t, role=r) for r, t in messages]
    assert engine.analyze_many(iter(texts)) == engine.analyze_many(texts)
    assert engine.analyze_many([]) == []
    for s in engine.analyze_many(texts):
        assert isinstance(s, jingmin.Summary)
        assert isinstance(s.category, jingmin.Category)


def test_a_batch_of_100000_equals_one_by_one_calls(engine, messages):
    base = [(r, t) for r, t in messages]
    texts = []
    roles = []
    for i in range(100000):
        role, text = base[i % len(base)]
        # Vary the texts so that equal results are not just one result.
        texts.append(text if i % 3 else "%s #%d" % (text, i))
        roles.append(role)
    batch = engine.analyze_many(texts, roles=roles)
    assert len(batch) == 100000
    one_by_one = [engine.summarize(t, role=r) for t, r in zip(texts, roles)]
    assert batch == one_by_one


def test_mask(engine, messages):
    for _, text in messages:
        masked = engine.mask(text)
        assert isinstance(masked, str)
    assert engine.mask("") == ""
    assert engine.mask("a\x00b") == "a\x00b"


def test_invalid_utf8_reports_the_byte_offset(engine):
    for text, offset in [("ab\ud800", 2), ("刷\udfff单", 3), ("\ud83d", 0)]:
        for call in (engine.analyze, engine.summarize, engine.mask):
            with pytest.raises(jingmin.InvalidUtf8Error) as e:
                call(text)
            assert e.value.status == 2
            assert "byte offset %d" % offset in e.value.message
            assert isinstance(e.value, jingmin.JingminError)
        with pytest.raises(jingmin.InvalidUtf8Error) as e:
            engine.analyze_many(["ok", text])
        assert "texts[1]" in e.value.message and "byte offset %d" % offset in e.value.message


def test_oversize_input(engine):
    big = "a" * (engine.max_message_bytes + 1)
    with pytest.raises(jingmin.InputTooLargeError) as e:
        engine.analyze(big)
    assert e.value.status == 6 and "too large" in e.value.message
    with pytest.raises(jingmin.InputTooLargeError):
        engine.analyze_many(["ok", big])
    # Three bytes per character: the limit is in UTF-8 bytes.
    assert engine.summarize("a" * engine.max_message_bytes) is not None
    with pytest.raises(jingmin.InputTooLargeError):
        engine.mask("啊" * (engine.max_message_bytes // 3 + 1))


def test_bad_arguments(engine):
    with pytest.raises(jingmin.InvalidArgumentError) as e:
        engine.analyze("x", role="chief")
    assert e.value.status == 10
    with pytest.raises(jingmin.InvalidArgumentError) as e:
        engine.summarize("x", role=7)
    assert "role" in e.value.message
    with pytest.raises(jingmin.InvalidArgumentError):
        engine.analyze_many(["a", "b"], roles=["police"])
    with pytest.raises(TypeError):
        engine.analyze(b"bytes")
    with pytest.raises(TypeError):
        engine.analyze_many(["ok", None])
    with pytest.raises(TypeError):
        engine.summarize("x", role=1.5)


def test_lexicons(tmp_path):
    lexicon = '{"entries":[{"pattern":"跑腿代办","kind":"fraud","type":"fake_shopping","weight":2}]}'
    path = tmp_path / "lexicon.json"
    path.write_text(lexicon, encoding="utf-8")
    text = "有人找我跑腿代办，要先付定金"
    results = []
    for source in (lexicon, lexicon.encode(), path, str(path)):
        for layer in (True, False):
            with jingmin.Engine(lexicon=source, layer=layer) as e:
                results.append((layer, e.analyze(text)))
    for layer in (True, False):
        same = [a for l, a in results if l == layer]
        assert all(a == same[0] for a in same)
    with pytest.raises(jingmin.JingminIOError) as e:
        jingmin.Engine(lexicon=str(tmp_path / "missing.json"))
    assert e.value.status == 7 and "missing.json" in e.value.message
    with pytest.raises(jingmin.InvalidUtf8Error):
        jingmin.Engine(lexicon=b'{"entries":[]}\xff')
    with pytest.raises(TypeError):
        jingmin.Engine(lexicon=42)


def test_errors_pickle_with_status_and_message():
    import pickle

    err = jingmin.InvalidUtf8Error(2, "jm_analyze: text: invalid UTF-8 at byte offset 2")
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is jingmin.InvalidUtf8Error
    assert (again.status, again.message) == (err.status, err.message)


def test_threads_share_one_engine(engine, messages):
    expected_summaries = [engine.summarize(t, role=r) for r, t in messages]
    expected_analyses = [engine.analyze(t, role=r) for r, t in messages]
    errors = []

    def work(k):
        try:
            for round_ in range(20):
                for i in range(len(messages)):
                    j = (i + k) % len(messages)
                    role, text = messages[j]
                    assert engine.summarize(text, role=role) == expected_summaries[j]
                    if round_ == 0:
                        assert engine.analyze(text, role=role) == expected_analyses[j]
                texts = [t for _, t in messages]
                assert engine.analyze_many(texts, roles=[r for r, _ in messages]) == expected_summaries
        except BaseException as e:  # reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


class _FreeCounter:
    def __init__(self, monkeypatch):
        self.freed = []
        real = _ffi.free_engine

        def counting(handle):
            self.freed.append(handle)
            real(handle)

        monkeypatch.setattr(_ffi, "free_engine", counting)


def test_close_is_idempotent_and_frees_once(monkeypatch):
    import gc

    counter = _FreeCounter(monkeypatch)
    e = jingmin.Engine()
    handle = e._handle
    with e:
        e.summarize("收到")
    assert e.closed
    e.close()
    e.close()
    with pytest.raises(jingmin.EngineClosedError) as err:
        e.analyze("收到")
    assert err.value.status == 1
    with pytest.raises(jingmin.EngineClosedError):
        e.analyze_many(["收到"])
    del e
    gc.collect()
    assert counter.freed == [handle]

    # Garbage collection alone frees it, once.
    e = jingmin.Engine()
    handle = e._handle
    del e
    gc.collect()
    # Exactly one more free, of this handle (the allocator may give the new
    # engine the address of the old one).
    assert counter.freed[1:] == [handle]


def test_a_failed_constructor_frees_nothing(monkeypatch, tmp_path):
    counter = _FreeCounter(monkeypatch)
    with pytest.raises(jingmin.JingminIOError):
        jingmin.Engine(lexicon=str(tmp_path / "missing.json"))
    import gc

    gc.collect()
    assert counter.freed == []


def test_close_while_other_threads_analyse(monkeypatch, messages):
    counter = _FreeCounter(monkeypatch)
    e = jingmin.Engine()
    handle = e._handle
    texts = [t for _, t in messages] * 50
    started = threading.Barrier(5)
    outcomes = []

    def work():
        started.wait()
        try:
            for _ in range(200):
                e.analyze_many(texts)
            outcomes.append("done")
        except jingmin.EngineClosedError:
            outcomes.append("closed")

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    started.wait()
    e.close()
    for t in threads:
        t.join()
    assert len(outcomes) == 4
    assert counter.freed == [handle]


def _run(code, env_extra, cwd):
    env = dict(os.environ)
    env.pop("JINGMIN_LIBRARY", None)
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        universal_newlines=True,
    )


def test_library_search_order(tmp_path):
    import shutil

    lib = jingmin.library_path()
    code = "import jingmin; print(jingmin.library_path()); jingmin.Engine().analyze('收到')"

    # 1. JINGMIN_LIBRARY wins.
    copy = tmp_path / "elsewhere" / "libjingmin-copy.so"
    copy.parent.mkdir()
    shutil.copy(lib, str(copy))
    r = _run(code, {"JINGMIN_LIBRARY": str(copy), "PYTHONPATH": os.path.dirname(PACKAGE)}, str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(copy)

    # 2. Next to the package (a copy of the package outside any source tree).
    pkg = tmp_path / "site" / "jingmin"
    shutil.copytree(PACKAGE, str(pkg), ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(lib, str(pkg / "libjingmin.so"))
    r = _run(code, {"PYTHONPATH": str(pkg.parent)}, str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(pkg / "libjingmin.so")

    # 3. Nowhere: a LibraryNotFoundError naming JINGMIN_LIBRARY.
    os.remove(str(pkg / "libjingmin.so"))
    r = _run(
        "import jingmin\ntry:\n    jingmin.Engine()\nexcept jingmin.LibraryNotFoundError as e:\n"
        "    print(e.status, 'JINGMIN_LIBRARY' in e.message)\n",
        {"PYTHONPATH": str(pkg.parent)},
        str(tmp_path),
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["7", "True"]

    # A bad JINGMIN_LIBRARY is an error, not a silent fallback.
    r = _run(
        "import jingmin\ntry:\n    jingmin.Engine()\nexcept jingmin.LibraryNotFoundError as e:\n    print('refused')\n",
        {"JINGMIN_LIBRARY": str(tmp_path / "nope.so"), "PYTHONPATH": os.path.dirname(PACKAGE)},
        str(tmp_path),
    )
    assert r.stdout.strip() == "refused", r.stderr


def test_sources_are_python_3_8_syntax():
    for name in sorted(os.listdir(PACKAGE)):
        if name.endswith(".py"):
            with open(os.path.join(PACKAGE, name), encoding="utf-8") as f:
                ast.parse(f.read(), filename=name, feature_version=(3, 8))


def test_eight_threads_of_100000_messages_equal_one_thread(engine, messages):
    # 100,000 distinct messages: the shared test texts, numbered.
    texts = ["%s %d" % (messages[i % len(messages)][1], i) for i in range(100000)]
    roles = [messages[i % len(messages)][0] for i in range(100000)]
    expected = engine.analyze_many(texts, roles=roles)
    assert len(expected) == 100000
    results = [None] * 8
    errors = []

    def work(k):
        try:
            out = []
            for start in range(0, len(texts), 10000):
                out.extend(engine.analyze_many(texts[start:start + 10000], roles=roles[start:start + 10000]))
            results[k] = out
        except BaseException as e:  # reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for r in results:
        assert r == expected

"""jingmin.spark.analyze: the analysis as columns, one engine per worker."""

import json
import os
import subprocess
import sys

import pytest
from pyspark.sql import functions as F, types as T

import jingmin
from jingmin import spark as jms


def test_columns_equal_engine_analyze_on_every_demo_row(spark, demo_path):
    df = spark.read.json(demo_path).repartition(3)
    out = jms.analyze(df, text_col="text", role_col="role", with_json=True)
    assert len(jms._engines) == 0  # the driver built no engine: the executors did
    types = dict((f.name, f.dataType) for f in out.schema.fields)
    assert types["category"] == T.StringType()
    assert types["confidence"] == T.DoubleType()
    assert types["fraud_types"] == T.ArrayType(T.StringType(), containsNull=False)
    assert types["risk"] == types["hit_count"] == types["entity_count"] == T.IntegerType()
    assert out.columns[: len(df.columns)] == df.columns  # the input columns are kept
    rows = out.collect()
    assert len(rows) == 3675
    engine = jingmin.Engine()
    multi = 0
    for r in rows:
        role = jms._role_from_text(r["role"]) if r["role"] is not None else None
        a = engine.analyze(r["text"], role=role)
        assert r["category"] == a.category.value
        assert r["confidence"] == a.confidence
        assert r["fraud_types"] == [t.value for t in a.fraud.types]
        assert r["stance"] == a.fraud.stance.value
        assert r["risk"] == a.fraud.risk
        assert r["hit_count"] == len(a.fraud.hits)
        assert r["entity_count"] == len(a.entities)
        assert jingmin.Analysis.from_json(json.loads(r["analysis_json"])) == a
        multi += len(a.fraud.types) > 1
    assert multi > 0, "some demo messages have several fraud types"
    assert sum(1 for r in rows if r["stance"] == "solicitation") > 10


def test_keep_nulls_and_prefix(spark):
    df = spark.createDataFrame(
        [(1, "我被骗了3000元", "resident", "x"), (2, None, None, "y"), (3, "收到", "民警", "z")],
        "n long, body string, who string, other string",
    )
    out = jms.analyze(df, text_col="body", role_col="who", keep=["n"], prefix="jm_")
    assert out.columns == ["n", "jm_category", "jm_confidence", "jm_fraud_types", "jm_stance", "jm_risk",
                           "jm_hit_count", "jm_entity_count"]
    rows = {r["n"]: r for r in out.collect()}
    assert rows[1]["jm_stance"] == "victim_report"
    assert rows[2]["jm_category"] is None and rows[2]["jm_fraud_types"] is None
    e = jingmin.Engine()
    assert rows[3]["jm_category"] == e.summarize("收到", role="police").category.value
    with pytest.raises(ValueError, match="already in the kept columns"):
        jms.analyze(df.withColumn("category", F.lit(1)), text_col="body")
    with pytest.raises(TypeError, match="string column"):
        jms.analyze(df, text_col="n")


def test_flag_queries_with_sql(spark, demo_path):
    out = jms.analyze(spark.read.json(demo_path), role_col="role")
    out.createOrReplaceTempView("flagged")
    n = spark.sql("SELECT count(*) FROM flagged WHERE stance = 'solicitation'").collect()[0][0]
    engine = jingmin.Engine()
    texts = [r["text"] for r in spark.read.json(demo_path).select("text").collect()]
    roles = [r["role"] for r in spark.read.json(demo_path).select("role").collect()]
    summaries = engine.analyze_many(texts, roles=[jms._role_from_text(r) if r else None for r in roles])
    assert n == sum(1 for s in summaries if s.stance == "solicitation") > 0


def test_one_engine_per_worker_process_and_library_from_executor_env(spark, library_copy):
    def _probe(batches):
        """Per task: the worker's pid, the engine it uses and how many engines
        the process has built for the default lexicon."""
        import pyarrow as pa
        from jingmin import spark as s

        for _ in batches:
            pass
        engine = s._engine_for("default", None, True)
        yield pa.RecordBatch.from_pydict({
            "pid": [os.getpid()], "engine": [id(engine)], "made": [s._engines_built["default"]], "library": [jingmin.library_path()],
        })

    df = spark.range(0, 240, numPartitions=12)
    rows = df.mapInArrow(_probe, "pid long, engine long, made long, library string").collect()
    assert len(rows) == 12
    engines = {}
    for r in rows:
        assert r["library"] == library_copy  # spark.executorEnv.JINGMIN_LIBRARY reached the workers
        assert r["made"] == 1
        engines.setdefault(r["pid"], set()).add(r["engine"])
    # Twelve tasks on two cores: worker processes are reused, and each
    # keeps the one engine it built.
    assert len(engines) < 12
    assert all(len(e) == 1 for e in engines.values())


def test_user_lexicon_is_broadcast(spark):
    lexicon = '{"entries":[{"pattern":"跑腿代办","kind":"fraud","type":"fake_shopping","weight":2}]}'
    df = spark.createDataFrame([("跑腿代办，加微信",), ("收到",)], "text string")
    plain = {r["text"]: r["fraud_types"] for r in jms.analyze(df).collect()}
    layered = {r["text"]: r["fraud_types"] for r in jms.analyze(df, lexicon=lexicon).collect()}
    assert layered["跑腿代办，加微信"] == [t.value for t in jingmin.Engine(lexicon).analyze("跑腿代办，加微信").fraud.types]
    assert "fake_shopping" in layered["跑腿代办，加微信"] and "fake_shopping" not in plain["跑腿代办，加微信"]
    assert layered["收到"] == plain["收到"] == []


def test_import_jingmin_needs_no_pyspark(tmp_path):
    here = os.path.dirname(os.path.dirname(os.path.abspath(jingmin.__file__)))
    code = "import sys, jingmin\nassert 'pyspark' not in sys.modules\nprint('ok')\n"
    r = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(tmp_path))
    assert r.stdout.decode().strip() == "ok", r.stderr
    # Without pyspark, jingmin.spark says what to install.
    code = ("import sys\nsys.modules['pyspark'] = None\nimport jingmin\n"
            "try:\n    import jingmin.spark\nexcept ImportError as e:\n    print(e)\n")
    r = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(tmp_path))
    assert 'pip install "jingmin[spark]"' in r.stdout.decode(), r.stderr
    assert here  # the package the tests import

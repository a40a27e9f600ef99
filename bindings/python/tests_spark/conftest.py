"""One local Spark session (local[2]) for the whole test session, the
``jingmin`` command line of the release build, and the data both read.

Run by scripts/test-spark.sh, which installs pyspark and Java; these tests
are kept apart from tests/ so that the binding's own tests need no pyspark.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
EXPORTS = os.path.join(ROOT, "examples", "data", "exports")
ROSTER = os.path.join(ROOT, "examples", "data", "roster.csv")

sys.path.insert(0, HERE)

import corpus  # noqa: E402
import demo_jsonl  # noqa: E402


def _cli_path():
    path = os.environ.get("JINGMIN_CLI")
    if path:
        return path
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT, check=True, stdout=subprocess.PIPE
    ).stdout
    return os.path.join(json.loads(out)["target_directory"], "release", "jingmin")


CLI = _cli_path()


def cli_report(*args):
    """``jingmin report --format json ARGS`` as a dict (exit 0 or 1: some
    records rejected)."""
    r = subprocess.run([CLI, "report", "--format", "json"] + [str(a) for a in args],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert r.returncode in (0, 1), r.stderr.decode("utf-8", "replace")
    return json.loads(r.stdout.decode("utf-8"))


@pytest.fixture(scope="session")
def workdir():
    d = tempfile.mkdtemp(prefix="jingmin-spark-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def library_copy(workdir):
    """A copy of the shared library, named to the executors only by
    spark.executorEnv.JINGMIN_LIBRARY (the tests check they load it)."""
    import jingmin

    path = os.path.join(workdir, "executor-lib", os.path.basename(jingmin.library_path()))
    os.makedirs(os.path.dirname(path))
    shutil.copyfile(jingmin.library_path(), path)
    return path


@pytest.fixture(scope="session")
def spark(workdir, library_copy):
    from pyspark.sql import SparkSession

    # The workers run this interpreter (the venv with jingmin and pyarrow).
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    log4j = os.path.join(workdir, "log4j2.properties")
    with open(log4j, "w") as f:
        f.write("rootLogger.level = error\nrootLogger.appenderRef.stdout.ref = console\n"
                "appender.console.type = Console\nappender.console.name = console\n"
                "appender.console.target = SYSTEM_ERR\nappender.console.layout.type = PatternLayout\n"
                "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n\n")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("jingmin-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.driver.memory", "2g")
        .config("spark.driver.extraJavaOptions", "-Dlog4j2.configurationFile=file:" + log4j)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.executorEnv.JINGMIN_LIBRARY", library_copy)
        .config("spark.local.dir", os.path.join(workdir, "spark-local"))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def demo_path(workdir):
    """The demo exports as one JSON Lines file (3,675 records)."""
    path = os.path.join(workdir, "demo.jsonl")
    n = demo_jsonl.convert(EXPORTS, path, roster=demo_jsonl.read_roster(ROSTER))
    assert n == 3675
    return path


@pytest.fixture(scope="session")
def roster():
    return demo_jsonl.read_roster(ROSTER)


@pytest.fixture(scope="session")
def corpus_path(workdir, demo_path):
    """200,000 generated messages (fixed seed), as JSON Lines."""
    path = os.path.join(workdir, "corpus.jsonl")
    corpus.write(path, 200000, seed=20240301, texts_from=demo_path)
    return path

import os

import pytest

import jingmin

HERE = os.path.dirname(os.path.abspath(__file__))
MESSAGES_TSV = os.path.normpath(os.path.join(HERE, "..", "..", "..", "tests", "data", "messages.tsv"))


def load_messages():
    out = []
    with open(MESSAGES_TSV, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            role, text = line.split("\t", 1)
            out.append((role, text))
    # Corner cases the file cannot hold.
    out.append(("unknown", ""))
    out.append(("police", "a\x00b 刷\x00单 13956201847"))
    out.append(("resident", "😀" * 3 + "刷😀单" + "\U0001F9E7"))
    return out


@pytest.fixture(scope="session")
def messages():
    return load_messages()


@pytest.fixture
def engine():
    with jingmin.Engine() as e:
        yield e

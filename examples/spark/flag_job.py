"""Flag chat messages on Spark: the analysis of every message as columns,
written as Parquet partitioned by day, and an SQL query over it.

    spark-submit examples/spark/flag_job.py messages.jsonl --out flagged/
    python examples/spark/flag_job.py messages.parquet --out flagged/

The output has the input columns and jingmin's (category, confidence,
fraud_types, stance, risk, hit_count, entity_count), plus `day`
(YYYY-MM-DD at +08:00, or --tz), the partition column. The query prints the
fraud solicitations (诈骗引流) per group and week.
"""

import argparse
import sys

from pyspark.sql import SparkSession, functions as F

from jingmin import spark as jms

QUERY = """
SELECT `group`,
       date_format(date_trunc('week', day), 'yyyy-MM-dd') AS week,
       count(*)                                            AS solicitations,
       count(DISTINCT sender)                              AS senders
FROM flagged
WHERE stance = 'solicitation'
GROUP BY `group`, date_trunc('week', day)
ORDER BY week, solicitations DESC, `group`
"""


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("input", nargs="+", help="JSON Lines files, or Parquet files or directories")
    p.add_argument("--out", required=True, help="output directory (Parquet, partitioned by day)")
    p.add_argument("--tz", default="+08:00", help="the offset days are counted in (default +08:00)")
    p.add_argument("--lexicon", help="a user lexicon (JSON), layered over the built-in one")
    a = p.parse_args(argv)

    spark = SparkSession.builder.appName("jingmin-flag").getOrCreate()
    if all(x.endswith((".jsonl", ".json", ".ndjson")) for x in a.input):
        df = spark.read.schema("id string, `group` string, sender string, role string, time string, text string").json(a.input)
    else:
        df = spark.read.parquet(*a.input)

    # Days in the report's offset: the session's time zone is that offset,
    # so local times are read in it and dates are taken in it. Times as JSON
    # Lines gives them (RFC 3339, local YYYY-MM-DD HH:MM:SS, Unix seconds or
    # milliseconds), or a timestamp column.
    spark.conf.set("spark.sql.session.timeZone", a.tz)
    t = df.schema["time"].dataType.simpleString()
    if t == "string":
        time = F.trim(F.col("time"))
        instant = F.coalesce(
            F.when(time.rlike("^[0-9]{13}$"), F.timestamp_seconds(time.cast("long") / 1000)),
            F.when(time.rlike("^[0-9]{1,12}$"), F.timestamp_seconds(time.cast("long"))),
            F.to_timestamp(F.regexp_replace(time, "/", "-")),
        )
    elif t in ("bigint", "int"):
        instant = F.timestamp_seconds(F.col("time"))
    else:
        instant = F.col("time").cast("timestamp")
    flagged = jms.analyze(df, text_col="text", role_col="role", lexicon=a.lexicon).withColumn("day", F.to_date(instant))
    flagged.write.mode("overwrite").partitionBy("day").parquet(a.out)

    spark.read.parquet(a.out).createOrReplaceTempView("flagged")
    spark.sql(QUERY).show(50, truncate=False)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

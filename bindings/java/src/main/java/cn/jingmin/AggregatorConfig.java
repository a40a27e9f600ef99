package cn.jingmin;

/**
 * The configuration of an {@link Aggregator} ({@code AggregatorConfig} of {@code docs/report-schema.md}).
 * Aggregators configured differently refuse to merge.
 *
 * @param utcOffsetSeconds    fixed offset for times without offset, calendar days and {@code period};
 *                            whole minutes, less than 24 h either way (default 28800, China Standard Time)
 * @param answerWindowSeconds how long a case waits for its answer, 1 to 31622400 (default 86400)
 */
public record AggregatorConfig(int utcOffsetSeconds, long answerWindowSeconds) {
    /** The defaults: China Standard Time, a 24-hour answer window. */
    public static final AggregatorConfig DEFAULT = new AggregatorConfig(28_800, 86_400);

    /** This configuration with another UTC offset. */
    public AggregatorConfig withUtcOffsetSeconds(int seconds) {
        return new AggregatorConfig(seconds, answerWindowSeconds);
    }

    /** This configuration with another answer window. */
    public AggregatorConfig withAnswerWindowSeconds(long seconds) {
        return new AggregatorConfig(utcOffsetSeconds, seconds);
    }

    /** The JSON the library reads (ranges are checked there: {@link Status#INVALID_CONFIG}). */
    String toJson() {
        return "{\"utc_offset_seconds\":" + utcOffsetSeconds + ",\"answer_window_seconds\":" + answerWindowSeconds + "}";
    }
}

package cn.jingmin;

/**
 * What {@link Aggregator#addAll} did with a batch: every message is in exactly one count.
 *
 * @param added      messages not seen before and counted
 * @param duplicates copies of messages already counted
 * @param rejected   messages not seen before, counted under {@code messages.rejected} (no group, no
 *                   time, or an unreadable time)
 */
public record AddCounts(long added, long duplicates, long rejected) {
    /** The sum of the three counts. */
    public long total() {
        return added + duplicates + rejected;
    }

    AddCounts plus(AddCounts o) {
        return new AddCounts(added + o.added, duplicates + o.duplicates, rejected + o.rejected);
    }
}

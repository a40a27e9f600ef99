package cn.jingmin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Case statistics over chat messages: messages by category, role, group and day, fraud by type and
 * stance, cases opened and answered with first-response times — the report of
 * {@code docs/report-schema.md}.
 *
 * <p>Feeding order does not matter, copies of a message count once, and aggregators fed parts of a log
 * {@link #merge} into exactly the aggregator of the whole log. {@link #snapshot()} carries the whole
 * state to another process or day, {@link #restore} reads it back.
 *
 * <pre>{@code
 * try (Engine engine = new Engine(); Aggregator agg = new Aggregator(engine)) {
 *     agg.add(Message.of("警民群", Role.RESIDENT, "2024-03-01 10:00:00", "请问办居住证要带什么？"));
 *     agg.add(Message.of("警民群", Role.POLICE, "2024-03-01 10:05:00", "带身份证来就行"));
 *     System.out.println(agg.report().path("cases"));
 * }
 * }</pre>
 *
 * <p><b>Thread-safety.</b> The native aggregator does not lock itself; this class does: adds and merges
 * run one at a time, {@link #snapshot()} and {@link #report()} may run together. The engine is shared
 * as usual and is not closed with the aggregator. After {@link #close()} every call throws
 * {@link IllegalStateException}; closing twice is harmless.
 */
public final class Aggregator implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final AtomicLong IDS = new AtomicLong();
    private static final Pattern LINE = Pattern.compile("jsonl: line (\\d+)");
    private static final int BATCH = 4096;

    private final Engine engine;
    private final State state;
    private final Cleaner.Cleanable cleanable;
    /** Lock order for merges: lower id first. */
    private final long id = IDS.incrementAndGet();

    /** An empty aggregator with the default configuration, analysing with {@code engine}. */
    public Aggregator(Engine engine) {
        this(engine, newHandle(null));
    }

    /**
     * An empty aggregator with {@code config}, analysing with {@code engine}.
     *
     * @throws JingminException {@link Status#INVALID_CONFIG} for a value out of range
     */
    public Aggregator(Engine engine, AggregatorConfig config) {
        this(engine, newHandle(Objects.requireNonNull(config, "config")));
    }

    private Aggregator(Engine engine, com.sun.jna.Pointer handle) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.state = new State(handle);
        this.cleanable = Engine.CLEANER.register(this, state);
    }

    private static com.sun.jna.Pointer newHandle(AggregatorConfig config) {
        Loader.library();
        com.sun.jna.Memory out = Lib.scratch();
        if (config == null) {
            Lib.check(Lib.jm_aggregator_new(out));
        } else {
            byte[] json = config.toJson().getBytes(StandardCharsets.UTF_8);
            Lib.check(Lib.jm_aggregator_new_with_config(json, json.length, out));
        }
        return out.getPointer(0);
    }

    /**
     * An aggregator from a {@link #snapshot()}: it reports the same and keeps counting, with
     * {@code engine}.
     *
     * @throws JingminException {@link Status#INVALID_SNAPSHOT} for another format, a newer version, a
     *     checksum mismatch, a truncated or inconsistent document (nothing is half-loaded)
     */
    public static Aggregator restore(String snapshot, Engine engine) {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(engine, "engine");
        Loader.library();
        byte[] data = Texts.utf8(snapshot, "snapshot");
        com.sun.jna.Memory out = Lib.scratch();
        Lib.check(Lib.jm_aggregator_restore(data, data.length, out));
        return new Aggregator(engine, out.getPointer(0));
    }

    /** The engine that analyses added messages. */
    public Engine engine() {
        return engine;
    }

    // -- lifetime ------------------------------------------------------------

    /** Releases the aggregator; waits for a call in progress. Idempotent. The engine stays open. */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return state.handle == null;
    }

    // -- counting ------------------------------------------------------------

    /**
     * Analyses one message and counts it. A message without group or readable time is not an error
     * but {@link Added#REJECTED_MISSING_GROUP} and the like.
     */
    public Added add(Message message) {
        Objects.requireNonNull(message, "message");
        return addJsonBytes(message.toJson("message"));
    }

    /**
     * Analyses one message given as a JSON object (taxonomy §4: {@code text} required; {@code id},
     * {@code group}, {@code sender}, {@code role}, {@code time} optional) and counts it.
     *
     * @throws JingminException {@link Status#INVALID_JSON} if it is not a JSON object with a string {@code text}
     */
    public Added addJson(String messageJson) {
        Objects.requireNonNull(messageJson, "messageJson");
        return addJsonBytes(Texts.utf8(messageJson, "messageJson"));
    }

    private Added addJsonBytes(byte[] json) {
        ReentrantReadWriteLock.WriteLock lock = state.lock.writeLock();
        lock.lock();
        try {
            com.sun.jna.Pointer h = state.live();
            com.sun.jna.Memory out = Lib.scratch();
            com.sun.jna.Pointer e = engine.enter();
            try {
                Lib.check(Lib.jm_aggregator_add_json_ex(h, e, json, json.length, out));
            } finally {
                engine.leave();
            }
            return Added.fromCode(out.getInt(0));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Counts many messages through the batch call ({@code jm_aggregator_add_jsonl}), 4,096 at a time.
     * On an invalid message the exception names its index; the batches before it are counted,
     * nothing of its own batch is.
     */
    public AddCounts addAll(Collection<Message> messages) {
        Objects.requireNonNull(messages, "messages");
        AddCounts total = new AddCounts(0, 0, 0);
        ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 16);
        int i = 0;
        int start = 0;
        int inBatch = 0;
        try (JsonGenerator g = FACTORY.createGenerator(buf)) {
            g.setRootValueSeparator(null); // one object per line, nothing between
            for (Message m : messages) {
                String what = "messages[" + i + "]";
                Objects.requireNonNull(m, what).write(g, what);
                g.flush();
                buf.write('\n');
                i++;
                if (++inBatch == BATCH) {
                    total = total.plus(addBatch(buf.toByteArray(), start));
                    buf.reset();
                    start = i;
                    inBatch = 0;
                }
            }
            if (inBatch > 0) {
                total = total.plus(addBatch(buf.toByteArray(), start));
            }
        } catch (IOException e) {
            throw new JingminException(Status.INVALID_JSON, "messages[" + i + "]: " + e.getMessage(), e);
        }
        return total;
    }

    private AddCounts addBatch(byte[] jsonl, int start) {
        ReentrantReadWriteLock.WriteLock lock = state.lock.writeLock();
        lock.lock();
        try {
            com.sun.jna.Pointer h = state.live();
            com.sun.jna.Memory out = Lib.scratch();
            com.sun.jna.Pointer e = engine.enter();
            int status;
            try {
                status = Lib.jm_aggregator_add_jsonl(h, e, jsonl, jsonl.length, out);
            } finally {
                engine.leave();
            }
            if (status != Lib.JM_OK) {
                String message = Lib.lastError();
                Matcher m = LINE.matcher(message);
                if (m.find()) {
                    message = "messages[" + (start + Long.parseLong(m.group(1)) - 1) + "]: " + message;
                }
                throw new JingminException(status, message + " (messages[" + start + ":] were not counted)");
            }
            return new AddCounts(out.getLong(0), out.getLong(8), out.getLong(16));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds everything {@code other} counted ({@code other} is unchanged): afterwards this aggregator
     * reports as one fed both inputs.
     *
     * @throws JingminException {@link Status#INVALID_ARGUMENT} when {@code other} is this aggregator,
     *     {@link Status#INVALID_CONFIG} when the two are configured differently
     */
    public void merge(Aggregator other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            ReentrantReadWriteLock.WriteLock lock = state.lock.writeLock();
            lock.lock();
            try {
                com.sun.jna.Pointer h = state.live();
                Lib.check(Lib.jm_aggregator_merge(h, h)); // refused by the library
            } finally {
                lock.unlock();
            }
            return;
        }
        // Both locks, lower id first, so that a.merge(b) and b.merge(a) cannot deadlock.
        boolean thisFirst = id < other.id;
        java.util.concurrent.locks.Lock first = thisFirst ? state.lock.writeLock() : other.state.lock.readLock();
        java.util.concurrent.locks.Lock second = thisFirst ? other.state.lock.readLock() : state.lock.writeLock();
        first.lock();
        try {
            second.lock();
            try {
                com.sun.jna.Pointer into = state.live();
                com.sun.jna.Pointer from = other.state.handle;
                if (from == null) {
                    throw new IllegalStateException("jingmin: the other aggregator is closed");
                }
                Lib.check(Lib.jm_aggregator_merge(into, from));
            } finally {
                second.unlock();
            }
        } finally {
            first.unlock();
        }
    }

    // -- reading -------------------------------------------------------------

    /**
     * The whole state as a versioned JSON document ({@code {"format":"jingmin-aggregator","version":1,…}});
     * equal states give identical snapshots.
     */
    public String snapshot() {
        return readString(true);
    }

    /** The report as JSON text ({@code docs/report-schema.md}); equal inputs give identical reports. */
    public String reportJson() {
        return readString(false);
    }

    /** The report as a Jackson tree ({@code docs/report-schema.md}): {@code report().path("cases").path("opened")}. */
    public JsonNode report() {
        String json = reportJson();
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new JingminException(Status.INVALID_JSON, "cannot read the library's report JSON: " + e.getMessage(), e);
        }
    }

    private String readString(boolean snapshot) {
        ReentrantReadWriteLock.ReadLock lock = state.lock.readLock();
        lock.lock();
        try {
            com.sun.jna.Pointer h = state.live();
            com.sun.jna.Memory out = Lib.scratch();
            Lib.check(snapshot ? Lib.jm_aggregator_snapshot(h, out) : Lib.jm_aggregator_report_json(h, out));
            return Lib.takeString(out.getPointer(0));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "jingmin.Aggregator[" + (isClosed() ? "closed" : "open") + "]";
    }

    /** The handle and its lock; the {@link Cleaner} action (no reference to the Aggregator). */
    private static final class State implements Runnable {
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        volatile com.sun.jna.Pointer handle;

        State(com.sun.jna.Pointer handle) {
            this.handle = handle;
        }

        /** The handle; call with the lock held. */
        com.sun.jna.Pointer live() {
            com.sun.jna.Pointer h = handle;
            if (h == null) {
                throw new IllegalStateException("jingmin: the aggregator is closed");
            }
            return h;
        }

        @Override
        public void run() {
            ReentrantReadWriteLock.WriteLock w = lock.writeLock();
            w.lock();
            try {
                com.sun.jna.Pointer h = handle;
                handle = null;
                if (h != null) {
                    Lib.jm_aggregator_free(h);
                }
            } finally {
                w.unlock();
            }
        }
    }
}

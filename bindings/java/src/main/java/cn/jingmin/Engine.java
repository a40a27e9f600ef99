package cn.jingmin;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An analysis engine: the built-in lexicon, or a user lexicon layered over it or used alone.
 *
 * <pre>{@code
 * try (Engine engine = new Engine()) {
 *     Analysis a = engine.analyze("淘寶刷.單，一單一結，加ＶＸ：tbjob886", Role.RESIDENT, false);
 *     System.out.println(a.category().label() + " " + a.fraud().stance().label() + " " + a.fraud().risk());
 * }
 * }</pre>
 *
 * <p><b>Thread-safety.</b> An engine is immutable: any number of threads may call it at once (share one
 * per process). {@link #close()} may be called while other threads are inside a call: the native engine
 * is released when the last of them returns, and every call that starts after {@code close()} throws
 * {@link IllegalStateException}. Closing twice is harmless. An engine that is never closed is released
 * when it becomes unreachable (a {@link Cleaner}), but closing it is the rule.
 *
 * <p><b>Errors.</b> Failures of the library are {@link JingminException}s with the status and the
 * library's message; a string holding an unpaired surrogate is refused with {@link Status#INVALID_UTF8}.
 */
public final class Engine implements AutoCloseable {
    static final Cleaner CLEANER = Cleaner.create();

    private final State state;
    private final Cleaner.Cleanable cleanable;

    /** An engine with the built-in default lexicon. */
    public Engine() {
        this(newDefault());
    }

    private Engine(Pointer handle) {
        this.state = new State(handle);
        this.cleanable = CLEANER.register(this, state);
    }

    /**
     * An engine with a user lexicon (JSON text) layered over the built-in one: its entries add to,
     * override or disable the defaults.
     *
     * @throws JingminException {@link Status#INVALID_JSON} or {@link Status#INVALID_LEXICON} for a bad lexicon
     */
    public static Engine withLexicon(String lexiconJson) {
        return withLexicon(lexiconJson, true);
    }

    /**
     * An engine with a user lexicon (JSON text): layered over the built-in one when
     * {@code layerOverDefault}, else the whole lexicon.
     *
     * @throws JingminException {@link Status#INVALID_JSON} or {@link Status#INVALID_LEXICON} for a bad lexicon
     */
    public static Engine withLexicon(String lexiconJson, boolean layerOverDefault) {
        Objects.requireNonNull(lexiconJson, "lexiconJson");
        return fromLexiconBytes(Texts.utf8(lexiconJson, "lexicon"), layerOverDefault);
    }

    /**
     * An engine with the user lexicon in a file (JSON, UTF-8) layered over the built-in one.
     *
     * @throws JingminException {@link Status#IO} if the file cannot be read, else as {@link #withLexicon(String)}
     */
    public static Engine withLexicon(Path lexiconFile) {
        return withLexicon(lexiconFile, true);
    }

    /**
     * An engine with the user lexicon in a file (JSON, UTF-8): layered over the built-in one when
     * {@code layerOverDefault}, else the whole lexicon.
     *
     * @throws JingminException {@link Status#IO} if the file cannot be read, else as {@link #withLexicon(String)}
     */
    public static Engine withLexicon(Path lexiconFile, boolean layerOverDefault) {
        Objects.requireNonNull(lexiconFile, "lexiconFile");
        byte[] data;
        try {
            data = Files.readAllBytes(lexiconFile);
        } catch (IOException e) {
            throw new JingminException(Status.IO, "lexicon: cannot read " + lexiconFile + ": " + e, e);
        }
        return fromLexiconBytes(data, layerOverDefault);
    }

    private static Pointer newDefault() {
        Loader.library();
        Memory out = Lib.scratch();
        Lib.check(Lib.jm_engine_new_default(out));
        return out.getPointer(0);
    }

    private static Engine fromLexiconBytes(byte[] data, boolean layer) {
        Loader.library();
        Memory out = Lib.scratch();
        Lib.check(Lib.jm_engine_new_from_lexicon(data, data.length, layer ? 1 : 0, out));
        return new Engine(out.getPointer(0));
    }

    // -- lifetime ------------------------------------------------------------

    /** Releases the engine (see the class comment). Idempotent; safe while other threads use it. */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return state.isClosed();
    }

    /** The handle, counted as in use until {@link #leave()}; throws if closed. */
    Pointer enter() {
        return state.enter();
    }

    void leave() {
        state.leave();
    }

    // -- analysis ------------------------------------------------------------

    /** The largest text, in UTF-8 bytes, the engine analyses; longer ones are {@link Status#TOO_LARGE}. */
    public long maxMessageBytes() {
        Pointer h = enter();
        try {
            return Lib.jm_engine_max_message_bytes(h);
        } finally {
            leave();
        }
    }

    /** The full analysis of one message; sender role unknown, personal data masked. */
    public Analysis analyze(String text) {
        return analyze(text, Role.UNKNOWN, false);
    }

    /**
     * The full analysis of one message (taxonomy §5).
     *
     * @param text the message
     * @param role the sender's role ({@link Role#UNKNOWN} lets the library decide from the text)
     * @param raw  leave phone, ID-card and bank-card numbers unmasked in {@link Entity#text()}
     */
    public Analysis analyze(String text, Role role, boolean raw) {
        Objects.requireNonNull(text, "text");
        int flags = flags(role, raw);
        Buffers b = Buffers.get();
        Pointer h = enter();
        try {
            analyzeInto(b, h, text, flags, "text");
        } finally {
            leave();
        }
        return AnalysisParser.parse(b.taken(), b.jsonLength, text, b.pairs);
    }

    /** jm_analyze_json of {@code text} into {@code b}: the JSON in b.taken()[0, b.jsonLength). */
    private static void analyzeInto(Buffers b, Pointer h, String text, int flags, String what) {
        int len = b.encode(text, what);
        int status;
        try {
            status = Lib.jm_analyze_json(h, b.encoded(), len, flags, b.out);
        } finally {
            b.release();
        }
        if (status != Lib.JM_OK) {
            String message = Lib.lastError();
            throw new JingminException(status, what.equals("text") ? message : what + ": " + message);
        }
        b.jsonLength = b.take(b.out.getPointer(0));
    }

    /** The full analyses of many messages, in order; sender role unknown, personal data masked. */
    public List<Analysis> analyzeMany(List<String> texts) {
        return analyzeMany(texts, Role.UNKNOWN, false);
    }

    /**
     * The full analyses of many messages, in order, every one with the same role and masking. The
     * engine is entered once for the whole list; a failing message throws and names its index.
     */
    public List<Analysis> analyzeMany(List<String> texts, Role role, boolean raw) {
        Objects.requireNonNull(texts, "texts");
        int flags = flags(role, raw);
        int n = texts.size();
        Analysis[] out = new Analysis[n];
        Buffers b = Buffers.get();
        Pointer h = enter();
        try {
            int i = 0;
            for (String text : texts) {
                if (text == null) {
                    throw new NullPointerException("texts[" + i + "]");
                }
                try {
                    analyzeInto(b, h, text, flags, "text");
                } catch (JingminException e) {
                    throw new JingminException(e.code(), "texts[" + i + "]: " + e.libraryMessage());
                }
                out[i++] = AnalysisParser.parse(b.taken(), b.jsonLength, text, b.pairs);
            }
        } finally {
            leave();
        }
        return Collections.unmodifiableList(java.util.Arrays.asList(out));
    }

    /** The analysis as the library's JSON text (taxonomy §5), e.g. to store or forward it as it is. */
    public String analyzeJson(String text, Role role, boolean raw) {
        Objects.requireNonNull(text, "text");
        int flags = flags(role, raw);
        Buffers b = Buffers.get();
        Pointer h = enter();
        try {
            analyzeInto(b, h, text, flags, "text");
        } finally {
            leave();
        }
        return new String(b.taken(), 0, b.jsonLength, StandardCharsets.UTF_8);
    }

    /** The digest of one message ({@code jm_analyze_ex}: no JSON, no allocation); role unknown. */
    public Summary summarize(String text) {
        return summarize(text, Role.UNKNOWN);
    }

    /** The digest of one message ({@code jm_analyze_ex}: no JSON, no allocation). */
    public Summary summarize(String text, Role role) {
        Objects.requireNonNull(text, "text");
        int flags = flags(role, false);
        Buffers b = Buffers.get();
        int len = b.encode(text, "text");
        Pointer h = enter();
        int status;
        try {
            status = Lib.jm_analyze_ex(h, b.encoded(), len, flags, b.out);
        } finally {
            b.release();
            leave();
        }
        Lib.check(status);
        return summaryAt(b.out, 0);
    }

    /** The digests of many messages through batch calls ({@code jm_analyze_batch_ex}); role unknown. */
    public List<Summary> summarizeMany(List<String> texts) {
        return summarizeMany(texts, null);
    }

    /**
     * The digests of many messages through batch calls ({@code jm_analyze_batch_ex}, 4,096 messages a
     * call): the same results as {@link #summarize(String, Role)} one by one, with fewer crossings.
     *
     * @param roles null (every role unknown) or one role per message
     */
    public List<Summary> summarizeMany(List<String> texts, List<Role> roles) {
        Objects.requireNonNull(texts, "texts");
        int n = texts.size();
        if (roles != null && roles.size() != n) {
            throw new JingminException(
                    Status.INVALID_ARGUMENT, "roles: " + roles.size() + " roles for " + n + " texts");
        }
        List<Summary> result = new ArrayList<>(n);
        final int chunk = 4096;
        byte[][] encoded = new byte[Math.min(n, chunk)][];
        Pointer h = enter();
        try {
            for (int from = 0; from < n; from += chunk) {
                int m = Math.min(chunk, n - from);
                long total = 0;
                for (int j = 0; j < m; j++) {
                    String text = texts.get(from + j);
                    if (text == null) {
                        throw new NullPointerException("texts[" + (from + j) + "]");
                    }
                    try {
                        encoded[j] = Texts.utf8(text, "text");
                    } catch (JingminException e) {
                        throw new JingminException(e.code(), "texts[" + (from + j) + "]: " + e.libraryMessage());
                    }
                    total += encoded[j].length;
                }
                // One block for the bytes of every text; the jm_text array points into it.
                Memory bytes = new Memory(Math.max(total, 1));
                Memory items = new Memory((long) m * Lib.TEXT_SIZE);
                Memory out = new Memory((long) m * Lib.SUMMARY_SIZE);
                Memory roleCodes = null;
                long off = 0;
                for (int j = 0; j < m; j++) {
                    byte[] b = encoded[j];
                    bytes.write(off, b, 0, b.length);
                    items.setPointer((long) j * Lib.TEXT_SIZE, bytes.share(off));
                    items.setLong((long) j * Lib.TEXT_SIZE + 8, b.length);
                    off += b.length;
                }
                if (roles != null) {
                    roleCodes = new Memory(4L * m);
                    for (int j = 0; j < m; j++) {
                        roleCodes.setInt(4L * j, Objects.requireNonNull(roles.get(from + j), "roles").code());
                    }
                }
                int status = Lib.jm_analyze_batch_ex(h, items, roleCodes, m, 0, out);
                if (status != Lib.JM_OK) {
                    throw new JingminException(status, rebase(Lib.lastError(), from));
                }
                for (int j = 0; j < m; j++) {
                    result.add(summaryAt(out, (long) j * Lib.SUMMARY_SIZE));
                }
                bytes.close();
                items.close();
                out.close();
                if (roleCodes != null) {
                    roleCodes.close();
                }
            }
        } finally {
            leave();
        }
        return Collections.unmodifiableList(result);
    }

    /**
     * The text with personal data (phone, ID-card and bank-card numbers) masked, e.g. {@code 139****5678}.
     */
    public String mask(String text) {
        Objects.requireNonNull(text, "text");
        Buffers b = Buffers.get();
        int len = b.encode(text, "text");
        Pointer h = enter();
        int status;
        try {
            status = Lib.jm_mask(h, b.encoded(), len, b.out);
        } finally {
            b.release();
            leave();
        }
        Lib.check(status);
        return Lib.takeString(b.out.getPointer(0));
    }

    @Override
    public String toString() {
        return "jingmin.Engine[" + (isClosed() ? "closed" : "open") + "]";
    }

    // -- helpers -------------------------------------------------------------

    static int flags(Role role, boolean raw) {
        Objects.requireNonNull(role, "role");
        return (role.code() << Lib.JM_FLAG_ROLE_SHIFT) | (raw ? Lib.JM_FLAG_RAW : 0);
    }

    private static Summary summaryAt(Pointer p, long off) {
        return new Summary(
                Category.fromCode(p.getInt(off)),
                p.getFloat(off + 4),
                FraudType.fromCode(p.getInt(off + 8)),
                Stance.fromCode(p.getInt(off + 12)),
                p.getInt(off + 16),
                p.getInt(off + 20),
                p.getInt(off + 24));
    }

    /** "jm_analyze_batch_ex: texts[17]: …" of a chunk starting at {@code from} → the index in the whole list. */
    private static String rebase(String message, int from) {
        if (from == 0) {
            return message;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("texts\\[(\\d+)\\]").matcher(message);
        if (m.find()) {
            long i = Long.parseLong(m.group(1)) + from;
            return message.substring(0, m.start()) + "texts[" + i + "]" + message.substring(m.end());
        }
        return message;
    }

    /**
     * The native handle and its users. {@code count} holds the number of calls in progress, plus
     * {@link #CLOSED} once closed; the handle is freed exactly once, by {@code close()} when no call is in
     * progress, else by the last call to leave. Also the {@link Cleaner} action: it holds no reference
     * to the {@link Engine}.
     */
    private static final class State implements Runnable {
        private static final long CLOSED = 1L << 62;
        private final AtomicLong count = new AtomicLong();
        private final Pointer handle;

        State(Pointer handle) {
            this.handle = handle;
        }

        Pointer enter() {
            for (;;) {
                long c = count.get();
                if ((c & CLOSED) != 0) {
                    throw new IllegalStateException("jingmin: the engine is closed");
                }
                if (count.compareAndSet(c, c + 1)) {
                    return handle;
                }
            }
        }

        void leave() {
            if (count.decrementAndGet() == CLOSED) {
                Lib.jm_engine_free(handle);
            }
        }

        boolean isClosed() {
            return (count.get() & CLOSED) != 0;
        }

        /** close(), run once by the Cleanable. */
        @Override
        public void run() {
            long before = count.getAndUpdate(c -> c | CLOSED);
            if (before == 0) {
                Lib.jm_engine_free(handle);
            }
        }
    }
}

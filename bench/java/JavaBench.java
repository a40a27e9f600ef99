import cn.jingmin.Analysis;
import cn.jingmin.Engine;
import cn.jingmin.Jingmin;
import cn.jingmin.Role;
import cn.jingmin.Summary;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The Java rows of the jingmin benchmark (bench/java/run.sh runs it): Engine.analyzeMany and the other
 * ways through the binding, in messages per second, as a ratio to the same work done natively through
 * the C ABI by bench/java/native_bench.c on the same messages, one thread each.
 *
 * <pre>
 * JavaBench --corpus FILE [--messages N] [--reps R] [--native PROGRAM] [--work DIR] [--markdown]
 * </pre>
 *
 * FILE: JSON Lines, one message a line, either a JSON string (the corpus dump of the Rust bench,
 * target/bench/messages.jsonl) or an object with a "text" (the dev set); cycled or cut to N messages.
 */
public final class JavaBench {
    private static final int CHUNK = 4096;

    /**
     * A row: messages per second of wall time and of the process's CPU time (medians), and the medians
     * of its ratios to the native pass run just before each of its passes (NaN for the native rows).
     */
    record Row(String name, double msgPerS, double msgPerCpuS, double ratio, double ratioCpu, String base, String note) {}

    public static void main(String[] args) throws Exception {
        Path corpus = null;
        Path work = Path.of("target/bench/java");
        String nativeProgram = null;
        int messages = 100_000;
        int reps = 5;
        boolean markdown = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--corpus" -> corpus = Path.of(args[++i]);
                case "--messages" -> messages = Integer.parseInt(args[++i].replace("_", ""));
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--native" -> nativeProgram = args[++i];
                case "--work" -> work = Path.of(args[++i]);
                case "--markdown" -> markdown = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (corpus == null) {
            throw new IllegalArgumentException("--corpus FILE is required");
        }
        List<String> texts = load(corpus, messages);
        long bytes = texts.stream().mapToLong(t -> t.getBytes(StandardCharsets.UTF_8).length).sum();
        Files.createDirectories(work);
        Path bin = work.resolve("corpus.bin");
        dump(texts, bin);

        List<Row> rows = new ArrayList<>();
        Native nat = nativeProgram == null ? null : new Native(nativeProgram, bin);

        ObjectMapper mapper = new ObjectMapper();
        JsonFactory factory = new JsonFactory();
        try (Engine engine = new Engine()) {
            List<List<String>> chunks = new ArrayList<>();
            for (int i = 0; i < texts.size(); i += CHUNK) {
                chunks.add(texts.subList(i, Math.min(texts.size(), i + CHUNK)));
            }
            // Warm-up: every path once over up to 50,000 messages (JIT, JNA, allocator).
            List<String> warm = texts.subList(0, Math.min(texts.size(), 50_000));
            for (int i = 0; i < warm.size(); i += CHUNK) {
                List<String> c = warm.subList(i, Math.min(warm.size(), i + CHUNK));
                engine.analyzeMany(c);
                engine.summarizeMany(c);
                for (String t : c) {
                    engine.analyze(t);
                    mapper.readTree(engine.analyzeJson(t, Role.UNKNOWN, false));
                    streamingCount(factory, engine.analyzeJson(t, Role.UNKNOWN, false));
                }
            }

            rows.add(time(nat, "Java Engine.analyzeMany (records, Jackson streaming), 4,096 a call", reps, texts.size(), "json",
                    "the issue's row: target ≥ 0.6 × native", () -> {
                        long s = 0;
                        for (List<String> c : chunks) {
                            for (Analysis a : engine.analyzeMany(c)) {
                                s += a.fraud().hits().size() + a.fraud().risk();
                            }
                        }
                        return s;
                    }));
            rows.add(time(nat, "Java Engine.analyze, one call per message", reps, texts.size(), "json", "", () -> {
                long s = 0;
                for (String t : texts) {
                    s += engine.analyze(t).fraud().risk();
                }
                return s;
            }));
            rows.add(time(nat, "Java Engine.analyzeJson (the JSON as a String, no parsing)", reps, texts.size(), "json",
                    "the crossing and the copy alone", () -> {
                        long s = 0;
                        for (String t : texts) {
                            s += engine.analyzeJson(t, Role.UNKNOWN, false).length();
                        }
                        return s;
                    }));
            rows.add(time(nat, "Java analyzeJson + Jackson databind readTree (no records)", reps, texts.size(), "json",
                    "the alternative parser, measured", () -> {
                        long s = 0;
                        for (String t : texts) {
                            JsonNode n = mapper.readTree(engine.analyzeJson(t, Role.UNKNOWN, false));
                            s += n.path("fraud").path("risk").asInt();
                        }
                        return s;
                    }));
            rows.add(time(nat, "Java Engine.summarizeMany (jm_analyze_batch_ex, the summary struct)", reps, texts.size(), "batch",
                    "digests only: no hits, no entities", () -> {
                        long s = 0;
                        for (List<String> c : chunks) {
                            for (Summary x : engine.summarizeMany(c)) {
                                s += x.risk() + x.hitCount();
                            }
                        }
                        return s;
                    }));
            rows.add(time(nat, "Java Engine.summarize, one call per message", reps, texts.size(), "batch", "", () -> {
                long s = 0;
                for (String t : texts) {
                    s += engine.summarize(t).risk();
                }
                return s;
            }));
        }
        if (nat != null) {
            rows.add(0, nat.row("json", "native C: jm_analyze_json + jm_string_free, one call per message", "baseline of the full analyses"));
            rows.add(1, nat.row("batch", "native C: jm_analyze_batch, 4,096 messages a call", "baseline of the digests"));
            nat.close();
        }
        rows.add(new Row("houbb/sensitive-word (Java keyword filter, for reference)", Double.NaN, Double.NaN, Double.NaN, Double.NaN, "",
                "not measured: a Maven Central artefact, and no Maven repository is reachable from this machine"));

        String head = String.format(Locale.ROOT,
                "jingmin Java benchmark: %,d messages (%.1f MB) from %s, median of %d runs, one thread; library %s, %s %s",
                texts.size(), bytes / 1e6, corpus, reps, Jingmin.version(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        System.out.println();
        System.out.println(head);
        System.out.println("× native: median over the runs of the ratio to a native pass of the same output (full analyses or"
                + " digests) run just before, by wall time and by the process's CPU time (JVM threads included)");
        if (markdown) {
            System.out.println();
            System.out.println("| row | messages/s | × native | messages/CPU-s | × native (CPU) | note |");
            System.out.println("|---|---:|---:|---:|---:|---|");
        } else {
            System.out.printf("%-70s %11s %8s %11s %8s  %s%n", "row", "msg/s", "×native", "msg/CPU-s", "×(CPU)", "note");
        }
        for (Row r : rows) {
            boolean isNative = r.name().startsWith("native");
            String[] cells = {rate(r.msgPerS()), isNative ? "1.00" : ratio(r.ratio()), rate(r.msgPerCpuS()),
                isNative ? "1.00" : ratio(r.ratioCpu())};
            if (Double.isNaN(r.msgPerS())) {
                cells[1] = cells[3] = "—";
            }
            if (markdown) {
                System.out.printf("| %s | %s | %s | %s | %s | %s |%n", r.name(), cells[0], cells[1], cells[2], cells[3], r.note());
            } else {
                System.out.printf("%-70s %11s %8s %11s %8s  %s%n", r.name(), cells[0], cells[1], cells[2], cells[3], r.note());
            }
        }
        if (nat != null) {
            Row am = rows.stream().filter(r -> r.name().startsWith("Java Engine.analyzeMany")).findFirst().orElseThrow();
            System.out.printf(Locale.ROOT, "%ntarget: Java analyzeMany ≥ 0.6 × native: %.2f × by wall time, %.2f × by CPU time — %s%n",
                    am.ratio(), am.ratioCpu(), Math.min(am.ratio(), am.ratioCpu()) >= 0.6 ? "met"
                            : Math.max(am.ratio(), am.ratioCpu()) >= 0.6 ? "met by one measure" : "NOT met");
        }
    }

    private static String rate(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.2f", v);
    }

    interface Work {
        long run() throws Exception;
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private static Row time(Native nat, String name, int reps, int n, String base, String note, Work w) throws Exception {
        double[] t = new double[reps];
        double[] c = new double[reps];
        double[] ratio = new double[reps];
        double[] ratioCpu = new double[reps];
        long sink = 0;
        for (int r = 0; r < reps; r++) {
            double[] nt = nat == null ? new double[] {Double.NaN, Double.NaN} : nat.pass(base);
            long c0 = OS.getProcessCpuTime();
            long t0 = System.nanoTime();
            sink += w.run();
            t[r] = (System.nanoTime() - t0) / 1e9;
            c[r] = (OS.getProcessCpuTime() - c0) / 1e9;
            ratio[r] = nt[0] / t[r];
            ratioCpu[r] = nt[1] / c[r];
        }
        if (sink == 42) {
            System.err.println("(checksum)");
        }
        double tm = median(t);
        double cm = median(c);
        System.err.printf(Locale.ROOT, "%-70s %.3f s wall, %.3f s CPU, %.2f × native%n", name, tm, cm, median(ratio));
        return new Row(name, n / tm, n / cm, median(ratio), median(ratioCpu), base, note);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** native_bench --serve: one timed pass per request, so that native and Java passes alternate. */
    static final class Native implements AutoCloseable {
        private final Process process;
        private final java.io.BufferedReader in;
        private final java.io.PrintStream out;
        private final java.util.Map<String, List<double[]>> seen = new java.util.HashMap<>();
        private int messages;

        Native(String program, Path corpus) throws IOException {
            process = new ProcessBuilder(program, corpus.toString(), "--serve").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            in = process.inputReader(StandardCharsets.UTF_8);
            out = new java.io.PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        /** One native pass: {wall seconds, CPU seconds}. */
        double[] pass(String kind) throws IOException {
            out.println(kind);
            String line = in.readLine();
            if (line == null) {
                throw new IOException("native_bench stopped");
            }
            String[] f = line.split(" ");
            messages = Integer.parseInt(f[1]);
            double[] t = {Double.parseDouble(f[2]), Double.parseDouble(f[3])};
            seen.computeIfAbsent(kind, k -> new ArrayList<>()).add(t);
            return t;
        }

        /** The native row: the medians of all its passes. */
        Row row(String kind, String name, String note) {
            List<double[]> l = seen.getOrDefault(kind, List.of());
            double wall = median(l.stream().mapToDouble(x -> x[0]).toArray());
            double cpu = median(l.stream().mapToDouble(x -> x[1]).toArray());
            return new Row(name + " (" + l.size() + " passes)", messages / wall, messages / cpu, 1, 1, kind, note);
        }

        @Override
        public void close() throws Exception {
            out.close();
            process.waitFor();
        }
    }

    private static long streamingCount(JsonFactory f, String json) throws IOException {
        long c = 0;
        try (JsonParser p = f.createParser(json)) {
            while (p.nextToken() != null) {
                c += p.currentToken() == JsonToken.FIELD_NAME ? 1 : 0;
            }
        }
        return c;
    }

    private static List<String> load(Path corpus, int n) throws IOException {
        ObjectMapper m = new ObjectMapper();
        List<String> all = new ArrayList<>();
        for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = m.readTree(line);
            all.add(node.isTextual() ? node.asText() : node.get("text").asText());
            if (all.size() == n) {
                break;
            }
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no messages in " + corpus);
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; out.size() < n; i++) {
            out.add(all.get(i % all.size()));
        }
        return out;
    }

    private static void dump(List<String> texts, Path bin) throws IOException {
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(bin), 1 << 16)) {
            for (String t : texts) {
                byte[] b = t.getBytes(StandardCharsets.UTF_8);
                o.write(b.length & 0xff);
                o.write((b.length >>> 8) & 0xff);
                o.write((b.length >>> 16) & 0xff);
                o.write((b.length >>> 24) & 0xff);
                o.write(b);
            }
        }
    }
}

package cn.jingmin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Paths given by the test run (scripts/test-java.sh sets them; the pom too):
 * {@code -Djingmin.devset=…/shared/eval/dev.jsonl}, {@code -Djingmin.cli=…/target/release/jingmin}.
 * Tests needing a missing one are skipped (JUnit: aborted); scripts/test-java.sh fails on any.
 */
final class TestSupport {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private TestSupport() {}

    /** One line of the dev set. */
    record DevLine(String id, Role role, String text) {}

    /** The dev set, or null when not given or missing (the tests needing it are then skipped). */
    static Path devSetPath() {
        return existing(System.getProperty("jingmin.devset", ""));
    }

    /** The command-line tool, or null when not given or missing. */
    static Path cliPath() {
        return existing(System.getProperty("jingmin.cli", ""));
    }

    private static Path existing(String p) {
        if (p.isEmpty()) {
            return null;
        }
        Path path = Path.of(p);
        return Files.isRegularFile(path) ? path : null;
    }

    static List<DevLine> devSet(Path path) {
        List<DevLine> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = MAPPER.readTree(line);
                Role role = n.hasNonNull("role") ? Role.fromJsonName(n.get("role").asText()) : Role.UNKNOWN;
                out.add(new DevLine(n.path("id").asText(), role, n.get("text").asText()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Resident set size of this process in bytes, from /proc/self/statm (second field, in pages). */
    static long rssBytes() {
        try {
            String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(f[1]) * 4096L;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Texts with something to find: fraud, entities, emoji, Traditional script. */
    static final List<String> SAMPLES = List.of(
            "淘寶刷.單，一單一結，加ＶＸ：tbjob886",
            "【反诈提醒】网上“点赞关注就返现”“做任务日赚几百”的兼职，全部是刷单诈骗！",
            "😀有人拉我进群，说给视频点赞关注就返现，一单3元，日结，这是不是骗人的？",
            "我被骗了5000元，对方说是客服，让我屏幕共享，电话13912345678",
            "请问办居住证要带什么？",
            "收到",
            "👍",
            "");
}

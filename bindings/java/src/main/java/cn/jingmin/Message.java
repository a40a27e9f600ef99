package cn.jingmin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One chat message as an {@link Aggregator} reads it (taxonomy §4). Only {@code text} is required
 * for analysis; the aggregator also needs {@code group} and {@code time} (a message without them is
 * counted under {@code messages.rejected}). Copies of a message count once: same group and
 * {@code id}, or without {@code id}, same group, instant, sender and text.
 *
 * @param id     the message's id in its export, or null
 * @param group  the group's name, or null
 * @param sender the sender's name, or null
 * @param role   the sender's role ({@link Role#UNKNOWN} lets the library infer it)
 * @param time   RFC 3339 ({@code 2024-03-01T10:00:00+08:00}), {@code YYYY-MM-DD HH:MM:SS} (China
 *               Standard Time unless the aggregator is configured otherwise) or Unix seconds, or null
 * @param text   the message text
 */
public record Message(String id, String group, String sender, Role role, String time, String text) {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    /** Checks that {@code role} and {@code text} are not null. */
    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(text, "text");
    }

    /** A message with a group, a role, a time and a text (no id, no sender). */
    public static Message of(String group, Role role, String time, String text) {
        return new Message(null, group, null, role, time, text);
    }

    /** The time as RFC 3339, from an {@link Instant} (in UTC, to the second). */
    public static String time(Instant instant) {
        return RFC3339.format(instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }

    /** The time as RFC 3339, from an {@link OffsetDateTime} (its offset kept, to the second). */
    public static String time(OffsetDateTime time) {
        return RFC3339.format(time.truncatedTo(ChronoUnit.SECONDS));
    }

    /** This message with an id. */
    public Message withId(String id) {
        return new Message(id, group, sender, role, time, text);
    }

    /** This message with a sender. */
    public Message withSender(String sender) {
        return new Message(id, group, sender, role, time, text);
    }

    /** The JSON object the library reads (UTF-8). */
    byte[] toJson(String what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + text.length() * 3);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, what);
        } catch (IOException e) {
            throw new JingminException(Status.INVALID_JSON, what + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    void write(JsonGenerator g, String what) throws IOException {
        g.writeStartObject();
        field(g, "id", id, what);
        field(g, "group", group, what);
        field(g, "sender", sender, what);
        if (role != Role.UNKNOWN) {
            g.writeStringField("role", role.jsonName());
        }
        field(g, "time", time, what);
        field(g, "text", text, what);
        g.writeEndObject();
    }

    private static void field(JsonGenerator g, String name, String value, String what) throws IOException {
        if (value != null) {
            Texts.surrogates(value, what + "." + name);
            g.writeStringField(name, value);
        }
    }
}

package cn.jingmin;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * The C ABI ({@code include/jingmin.h}) through JNA direct mapping: {@code static native} methods
 * bound by {@link Native#register}, the fastest way JNA calls C, with no hand-written JNI.
 *
 * <p>Types: {@code jm_status} and {@code uint32_t} are {@code int}, {@code size_t} is {@code long} (the
 * loader refuses JVMs where it is not 8 bytes), handles and {@code char **} outputs are {@link Pointer}.
 * Strings the library returns are received as a {@link Pointer}, never as a Java {@code String}
 * (which would copy the bytes and lose the pointer): {@link #takeString} copies them and releases them
 * with {@code jm_string_free}.
 *
 * <p>Touch this class only after {@link Loader#library()} succeeded.
 */
final class Lib {
    static {
        Native.register(Lib.class, Loader.library());
    }

    private Lib() {}

    static final int JM_OK = 0;
    static final int JM_FLAG_RAW = 1;
    static final int JM_FLAG_ROLE_SHIFT = 8;
    /** sizeof(jm_summary): seven 4-byte fields. */
    static final int SUMMARY_SIZE = 28;
    /** sizeof(jm_text): a pointer and a size_t. */
    static final int TEXT_SIZE = 16;

    // -- version and names -------------------------------------------------
    static native Pointer jm_version();

    static native int jm_abi_version();

    static native Pointer jm_category_name(int code);

    static native Pointer jm_fraud_type_name(int code);

    static native Pointer jm_stance_name(int code);

    static native Pointer jm_entity_kind_name(int code);

    static native Pointer jm_role_name(int code);

    static native Pointer jm_last_error();

    // -- strings -------------------------------------------------------------
    static native void jm_string_free(Pointer s);

    static native long jm_string_len(Pointer s);

    // -- engines -------------------------------------------------------------
    static native int jm_engine_new_default(Pointer out);

    static native int jm_engine_new_from_lexicon(byte[] json, long len, int layerOverDefault, Pointer out);

    static native void jm_engine_free(Pointer engine);

    static native long jm_engine_max_message_bytes(Pointer engine);

    static native int jm_analyze_ex(Pointer engine, Pointer text, long len, int flags, Pointer out);

    static native int jm_analyze_json(Pointer engine, Pointer text, long len, int flags, Pointer outJson);

    static native int jm_analyze_batch_ex(Pointer engine, Pointer texts, Pointer roles, long n, int flags, Pointer out);

    static native int jm_mask(Pointer engine, Pointer text, long len, Pointer out);

    // -- aggregators ---------------------------------------------------------
    static native int jm_aggregator_new(Pointer out);

    static native int jm_aggregator_new_with_config(byte[] json, long len, Pointer out);

    static native void jm_aggregator_free(Pointer agg);

    static native int jm_aggregator_add_json_ex(Pointer agg, Pointer engine, byte[] json, long len, Pointer outcome);

    static native int jm_aggregator_add_jsonl(Pointer agg, Pointer engine, byte[] jsonl, long len, Pointer counts);

    static native int jm_aggregator_merge(Pointer into, Pointer from);

    static native int jm_aggregator_snapshot(Pointer agg, Pointer out);

    static native int jm_aggregator_restore(byte[] snapshot, long len, Pointer out);

    static native int jm_aggregator_report_json(Pointer agg, Pointer out);

    // -- helpers -------------------------------------------------------------

    /** The calling thread's block for out-parameters (64 bytes, {@link Buffers#out}), valid until its next use. */
    static Memory scratch() {
        return Buffers.get().out;
    }

    /** The calling thread's last error message (copied; the library owns the original). */
    static String lastError() {
        Pointer p = jm_last_error();
        return p == null ? "" : p.getString(0, "UTF-8");
    }

    /** Throws a {@link JingminException} with the library's message unless {@code status} is JM_OK. */
    static void check(int status) {
        if (status != JM_OK) {
            throw new JingminException(status, lastError());
        }
    }

    /** A static NUL-terminated string of the library (never freed), or null. */
    static String staticString(Pointer p) {
        return p == null ? null : p.getString(0, "UTF-8");
    }

    /** The bytes of a library string, NUL bytes included, then frees it with jm_string_free. */
    static byte[] takeBytes(Pointer p) {
        if (p == null) {
            return new byte[0];
        }
        try {
            long len = jm_string_len(p);
            if (len > Integer.MAX_VALUE - 8) {
                throw new JingminException(Status.TOO_LARGE, "a library string of " + len + " bytes does not fit a Java array");
            }
            return p.getByteArray(0, (int) len);
        } finally {
            jm_string_free(p);
        }
    }

    /** A library string as a Java String, then frees it with jm_string_free. */
    static String takeString(Pointer p) {
        return new String(takeBytes(p), StandardCharsets.UTF_8);
    }
}

package cn.jingmin;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.File;

/**
 * Finds and opens {@code libjingmin}, once per class loader. In order:
 * <ol>
 *   <li>the system property {@code jingmin.library} or the environment variable
 *       {@code JINGMIN_LIBRARY}: the path of the library file (nothing else is tried if it is set);</li>
 *   <li>JNA's own search for {@code jingmin}: the directories of {@code jna.library.path}, the
 *       system's library path ({@code LD_LIBRARY_PATH}, {@code /usr/lib}…), then a copy bundled on
 *       the class path under JNA's platform folder ({@code linux-x86-64/libjingmin.so} in the jar),
 *       which JNA extracts to a temporary file.</li>
 * </ol>
 * A failure is remembered and thrown again, as a {@link JingminException} with {@link Status#IO},
 * on every later use.
 */
final class Loader {
    /** The ABI this binding was written against ({@code JM_ABI_VERSION}). */
    static final int ABI_VERSION = 0;

    private static NativeLibrary library;
    private static String location;
    private static String failure;

    private Loader() {}

    /** Where the library came from: a file path, or the URL of the copy bundled in a jar. */
    static synchronized String location() {
        library();
        return location;
    }

    /** The opened library; throws a {@link JingminException} if it cannot be had. */
    static synchronized NativeLibrary library() {
        if (library != null) {
            return library;
        }
        if (failure == null) {
            try {
                library = open();
                return library;
            } catch (JingminException e) {
                failure = e.libraryMessage();
            }
        }
        throw new JingminException(Status.IO, failure);
    }

    private static NativeLibrary open() {
        if (Native.POINTER_SIZE != 8 || Native.SIZE_T_SIZE != 8) {
            throw new JingminException(Status.IO, "this binding needs a 64-bit JVM (pointers and size_t of 8 bytes)");
        }
        String where = System.getProperty("jingmin.library");
        String what = "-Djingmin.library";
        if (where == null || where.isEmpty()) {
            where = System.getenv("JINGMIN_LIBRARY");
            what = "JINGMIN_LIBRARY";
        }
        NativeLibrary lib;
        if (where != null && !where.isEmpty()) {
            File f = new File(where);
            if (!f.isFile()) {
                throw new JingminException(Status.IO, what + "=" + where + ": no such file");
            }
            try {
                lib = NativeLibrary.getInstance(f.getAbsolutePath());
            } catch (UnsatisfiedLinkError e) {
                throw new JingminException(Status.IO, what + "=" + where + " cannot be loaded: " + e.getMessage());
            }
        } else {
            try {
                lib = NativeLibrary.getInstance("jingmin");
            } catch (UnsatisfiedLinkError e) {
                throw new JingminException(
                        Status.IO,
                        "the jingmin shared library was not found: set JINGMIN_LIBRARY (or -Djingmin.library) to "
                                + "its path, put its directory in -Djna.library.path, or use the jar that bundles "
                                + Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName("jingmin")
                                + " (build it with `cargo build --release -p jingmin-capi`): " + e.getMessage());
            }
        }
        location = describe(lib);
        int abi;
        try {
            Function f = lib.getFunction("jm_abi_version");
            abi = f.invokeInt(new Object[0]);
        } catch (UnsatisfiedLinkError e) {
            throw new JingminException(Status.IO, lib.getFile() + " is not the jingmin library (no jm_abi_version)");
        }
        if (abi != ABI_VERSION) {
            throw new JingminException(
                    Status.IO, lib.getFile() + ": C ABI version " + abi + ", this binding needs " + ABI_VERSION);
        }
        return lib;
    }

    /**
     * The file JNA opened; for the copy bundled on the class path, which JNA extracts to a temporary
     * file (and deletes at once), the resource's URL instead.
     */
    private static String describe(NativeLibrary lib) {
        File f = lib.getFile();
        String name = Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName("jingmin");
        ClassLoader cl = Loader.class.getClassLoader();
        java.net.URL url = cl == null ? null : cl.getResource(name);
        boolean extracted = f == null || !f.exists() || f.getName().matches("jna\\d+\\.tmp");
        if (url != null && extracted) {
            return url.toString();
        }
        return f == null ? "jingmin" : f.getAbsolutePath();
    }
}

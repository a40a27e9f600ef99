package cn.jingmin;

/** The loaded library: its version and where it was found. */
public final class Jingmin {
    private Jingmin() {}

    /** The version of the loaded library, e.g. {@code 0.1.0}. */
    public static String version() {
        Loader.library();
        return Lib.staticString(Lib.jm_version());
    }

    /** The C ABI version of the loaded library ({@code JM_ABI_VERSION}); this binding checks it on loading. */
    public static int abiVersion() {
        Loader.library();
        return Lib.jm_abi_version();
    }

    /**
     * Where the library was loaded from: the file given by {@code -Djingmin.library} or
     * {@code JINGMIN_LIBRARY}, the one found on {@code jna.library.path} or the system's library path,
     * or, for the copy bundled in the jar, its URL ({@code jar:file:…/jingmin.jar!/linux-x86-64/libjingmin.so}).
     *
     * @throws JingminException {@link Status#IO} if the library cannot be found or loaded
     */
    public static String libraryLocation() {
        return Loader.location();
    }

    /** Prints the version and the library's location: {@code java -jar jingmin.jar}. */
    public static void main(String[] args) {
        System.out.println("jingmin " + version() + " (C ABI " + abiVersion() + ") from " + libraryLocation());
    }
}

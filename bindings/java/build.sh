#!/usr/bin/env bash
# Builds the Java binding without Maven: javac and jar against Debian's jars in
# /usr/share/java (libjna-java, libjackson2-databind-java, junit5), with the
# shared library bundled in the jar under JNA's platform folder
# (linux-x86-64/libjingmin.so, debug info stripped).
#
# Usage: bindings/java/build.sh [--tests] LIBRARY OUT
#   LIBRARY  the built libjingmin.so (cargo build --release -p jingmin-capi)
#   OUT      output directory: OUT/jingmin.jar, OUT/classes, and with --tests
#            OUT/test-classes
# It does not install anything or run cargo: scripts/test-java.sh does both.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TESTS=0
if [ "${1:-}" = "--tests" ]; then
    TESTS=1
    shift
fi
[ $# = 2 ] || { echo "usage: $0 [--tests] LIBRARY OUT" >&2; exit 2; }
LIB="$1"
OUT="$2"
[ -f "$LIB" ] || { echo "error: no library at $LIB" >&2; exit 1; }

J=/usr/share/java
MAIN_CP="$J/jna.jar:$J/jackson-core.jar:$J/jackson-databind.jar:$J/jackson-annotations.jar"
for jar in ${MAIN_CP//:/ }; do
    [ -f "$jar" ] || { echo "error: $jar missing (apt-get install libjna-java libjackson2-databind-java)" >&2; exit 1; }
done

rm -rf "$OUT/classes" "$OUT/native" "$OUT/test-classes" "$OUT/jingmin.jar"
mkdir -p "$OUT/classes" "$OUT/native/linux-x86-64"

javac --release 17 -encoding UTF-8 -Xlint:all -Werror -d "$OUT/classes" -cp "$MAIN_CP" \
    $(find "$HERE/src/main/java" -name '*.java' | sort)

# The bundled copy: the same code without its debug info (16 MB -> 4 MB).
if command -v strip >/dev/null 2>&1; then
    strip --strip-debug -o "$OUT/native/linux-x86-64/libjingmin.so" "$LIB"
else
    cp "$LIB" "$OUT/native/linux-x86-64/libjingmin.so"
fi

VERSION="$(sed -n 's|^    <version>\(.*\)</version>|\1|p' "$HERE/pom.xml" | head -1)"
cat > "$OUT/MANIFEST.MF" <<EOF
Main-Class: cn.jingmin.Jingmin
Automatic-Module-Name: cn.jingmin
Implementation-Title: jingmin
Implementation-Version: ${VERSION:-0}
EOF
jar --create --file "$OUT/jingmin.jar" --manifest "$OUT/MANIFEST.MF" \
    -C "$OUT/classes" . -C "$OUT/native" linux-x86-64

if [ "$TESTS" = 1 ]; then
    TEST_CP="$OUT/jingmin.jar:$MAIN_CP:$J/junit-jupiter-api.jar:$J/junit-jupiter-params.jar:$J/apiguardian-api.jar:$J/opentest4j.jar:$J/junit-platform-commons.jar"
    mkdir -p "$OUT/test-classes"
    javac --release 17 -encoding UTF-8 -Xlint:all,-processing -d "$OUT/test-classes" -cp "$TEST_CP" \
        $(find "$HERE/src/test/java" -name '*.java' | sort)
fi
echo "built $OUT/jingmin.jar ($(du -k "$OUT/jingmin.jar" | cut -f1) kB)"

#!/usr/bin/env bash
# Install the C artefacts of jingmin under a prefix, in the layout C users
# and pkg-config expect:
#
#   PREFIX/include/jingmin.h
#   PREFIX/lib/libjingmin.so.X.Y.Z, libjingmin.so.0 -> it, libjingmin.so -> libjingmin.so.0
#   PREFIX/lib/libjingmin.a
#   PREFIX/lib/pkgconfig/jingmin.pc     (Libs.private: the static archive's native libraries)
#   PREFIX/share/licenses/jingmin/      (NOTICE, the OpenCC licence)
#
# Usage: scripts/install.sh --prefix DIR [--destdir DIR] [--libdir NAME] [--from DIR] [--no-build]
#   --prefix DIR   where the files will live (written into jingmin.pc); default /usr/local
#   --destdir DIR  stage under DIR instead (DIR/PREFIX/...), for packaging
#   --libdir NAME  library directory under the prefix; default lib
#   --from DIR     take libjingmin.so/.a from DIR instead of building them
#   --no-build     do not run cargo; take the artefacts from the target directory
#
# A plain script rather than cargo-c: it needs nothing beyond cargo and
# coreutils on a build host, and `scripts/dist.sh` reuses it for the
# release archives built by other toolchains (zig for glibc 2.17).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. "$ROOT/scripts/lib.sh"

PREFIX=/usr/local DESTDIR="" LIBDIR=lib FROM="" BUILD=1
usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX="${2:?--prefix needs a directory}"; shift 2 ;;
        --prefix=*) PREFIX="${1#*=}"; shift ;;
        --destdir) DESTDIR="${2:?--destdir needs a directory}"; shift 2 ;;
        --destdir=*) DESTDIR="${1#*=}"; shift ;;
        --libdir) LIBDIR="${2:?--libdir needs a name}"; shift 2 ;;
        --libdir=*) LIBDIR="${1#*=}"; shift ;;
        --from) FROM="${2:?--from needs a directory}"; BUILD=0; shift 2 ;;
        --from=*) FROM="${1#*=}"; BUILD=0; shift ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
case "$PREFIX" in /*) ;; *) echo "install.sh: --prefix must be an absolute path, not $PREFIX" >&2; exit 2 ;; esac

VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' jingmin-capi/Cargo.toml | head -n1)"
if [ "$BUILD" = 1 ]; then
    cargo build --release --quiet -p jingmin-capi
fi
[ -n "$FROM" ] || FROM="$(cargo_target_dir)/release"
for f in libjingmin.so libjingmin.a; do
    [ -f "$FROM/$f" ] || { echo "install.sh: $FROM/$f not found (build it, or name it with --from)" >&2; exit 1; }
done

DEST="$DESTDIR$PREFIX"
LIB="$DEST/$LIBDIR"
install -d "$DEST/include" "$LIB/pkgconfig" "$DEST/share/licenses/jingmin"
install -m 644 include/jingmin.h "$DEST/include/jingmin.h"
install -m 755 "$FROM/libjingmin.so" "$LIB/libjingmin.so.$VERSION"
ln -sfn "libjingmin.so.$VERSION" "$LIB/libjingmin.so.0"
ln -sfn libjingmin.so.0 "$LIB/libjingmin.so"
install -m 644 "$FROM/libjingmin.a" "$LIB/libjingmin.a"
sed -e "s|@PREFIX@|$PREFIX|" -e "s|@LIBDIR@|$PREFIX/$LIBDIR|" -e "s|@INCLUDEDIR@|$PREFIX/include|" \
    -e "s|@VERSION@|$VERSION|" jingmin-capi/jingmin.pc.in >"$LIB/pkgconfig/jingmin.pc"
chmod 644 "$LIB/pkgconfig/jingmin.pc"
install -m 644 NOTICE LICENSES/* "$DEST/share/licenses/jingmin/"
echo "installed jingmin $VERSION under $DEST"

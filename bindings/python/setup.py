"""The build step of the jingmin wheel (metadata: pyproject.toml).

The package is pure Python (ctypes); what makes the wheel a platform wheel
is the shared library it carries next to ``__init__.py``. ``build_py``
copies it in, taken from the first of:

1. ``$JINGMIN_WHEEL_LIBRARY``, a path (``scripts/dist.sh`` names the
   glibc-2.17 build there);
2. ``jingmin/libjingmin.so`` already in the source package (copied by hand);
3. the source tree this directory sits in (``bindings/python`` of the
   jingmin repository): ``cargo build --release -p jingmin-capi`` is run
   there, and ``target/release/libjingmin.so`` is taken, its debug
   information stripped when ``objcopy`` is there.

With the library come ``NOTICE`` and the OpenCC licence (the library's
Traditional-to-Simplified table derives from OpenCC). An editable install
(``pip install -e``) copies nothing: the binding then finds the library in
the source tree's ``target/`` (see ``jingmin/_ffi.py``).

``bdist_wheel`` tags the wheel ``py3-none-PLATFORM``: any CPython 3, no
extension ABI, one platform. PLATFORM is this machine's (``linux_x86_64``)
unless ``$JINGMIN_WHEEL_PLAT`` or ``--plat-name`` names another; the
manylinux tags are given by ``auditwheel repair --plat manylinux2014_...``
(``scripts/dist.sh``), which checks the library's symbol versions first.
"""

import os
import shutil
import subprocess

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

try:  # setuptools >= 70.1 carries bdist_wheel
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # older setuptools: the wheel package's
    from wheel.bdist_wheel import bdist_wheel

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.join(HERE, "jingmin")
SOURCE_TREE = os.path.dirname(os.path.dirname(HERE))
LIBRARY = "libjingmin.so"
NOTICES = (("NOTICE", "NOTICE"), (os.path.join("LICENSES", "OpenCC-Apache-2.0.txt"), "OpenCC-Apache-2.0.txt"))


def _cargo():
    found = shutil.which("cargo")
    if found:
        return found
    home = os.path.join(os.path.expanduser("~"), ".cargo", "bin", "cargo")
    return home if os.path.isfile(home) else None


def _target_dir(cargo):
    """The target directory as cargo reports it (CARGO_TARGET_DIR, configs)."""
    import json

    out = subprocess.run(
        [cargo, "metadata", "--format-version", "1", "--no-deps"],
        cwd=SOURCE_TREE, check=True, stdout=subprocess.PIPE,
    ).stdout
    return json.loads(out.decode("utf-8"))["target_directory"]


def _build_with_cargo(log):
    if not os.path.isfile(os.path.join(SOURCE_TREE, "jingmin-capi", "Cargo.toml")):
        raise SystemExit(
            "jingmin wheel: no shared library to ship. Set JINGMIN_WHEEL_LIBRARY to a built "
            "libjingmin.so, copy one to jingmin/libjingmin.so, or build from the jingmin "
            "repository (bindings/python), where cargo builds it."
        )
    cargo = _cargo()
    if cargo is None:
        raise SystemExit(
            "jingmin wheel: cargo not found; it builds libjingmin.so from %s. Install Rust "
            "(rustup), or set JINGMIN_WHEEL_LIBRARY to a built libjingmin.so." % SOURCE_TREE
        )
    cmd = [cargo, "build", "--release", "-p", "jingmin-capi"]
    log("running %s in %s" % (" ".join(cmd), SOURCE_TREE))
    subprocess.run(cmd, cwd=SOURCE_TREE, check=True)
    return os.path.join(_target_dir(cargo), "release", LIBRARY)


def _copy_library(src, dst, log):
    objcopy = shutil.which("objcopy")
    if objcopy:
        r = subprocess.run([objcopy, "--strip-debug", src, dst], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode == 0:
            os.chmod(dst, 0o755)
            return
        # A foreign architecture, say (the glibc-2.17 builds carry no debug information).
        log("objcopy --strip-debug did not apply (%s); copying as is"
            % r.stderr.decode("utf-8", "replace").strip().splitlines()[-1:])
    shutil.copyfile(src, dst)
    os.chmod(dst, 0o755)


class build_py_with_library(build_py):
    """build_py, plus the shared library and its notices in the package."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        dest = os.path.join(self.build_lib, "jingmin")
        os.makedirs(dest, exist_ok=True)
        src = os.environ.get("JINGMIN_WHEEL_LIBRARY")
        if src:
            if not os.path.isfile(src):
                raise SystemExit("jingmin wheel: JINGMIN_WHEEL_LIBRARY=%s is not a file" % src)
        elif os.path.isfile(os.path.join(PACKAGE, LIBRARY)):
            src = os.path.join(PACKAGE, LIBRARY)
        else:
            src = _build_with_cargo(self.announce_info)
        self.announce_info("shipping %s as jingmin/%s" % (src, LIBRARY))
        _copy_library(src, os.path.join(dest, LIBRARY), self.announce_info)
        for rel, name in NOTICES:
            for candidate in (os.path.join(PACKAGE, name), os.path.join(SOURCE_TREE, rel)):
                if os.path.isfile(candidate):
                    shutil.copyfile(candidate, os.path.join(dest, name))
                    break
            else:
                raise SystemExit("jingmin wheel: %s not found (it ships with the library)" % rel)

    def announce_info(self, msg):
        self.announce("jingmin: " + msg, level=2)


class PlatformDistribution(Distribution):
    """A distribution with binary content: the wheel's files go to platlib
    (``Root-Is-Purelib: false``, as auditwheel requires), not purelib.
    Overriding ``root_is_pure`` alone is not enough: ``install`` still puts
    the files under ``.data/purelib`` unless the distribution says it has
    binary content."""

    def has_ext_modules(self):
        return True


class bdist_wheel_platform(bdist_wheel):
    """A platform wheel for any Python 3: py3-none-PLATFORM."""

    def initialize_options(self):
        super().initialize_options()
        self.plat_name = os.environ.get("JINGMIN_WHEEL_PLAT") or None

    def finalize_options(self):
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self):
        _, _, plat = super().get_tag()
        return "py3", "none", plat


setup(
    distclass=PlatformDistribution,
    cmdclass={"build_py": build_py_with_library, "bdist_wheel": bdist_wheel_platform},
)

"""Run a submission's kernel in a sandbox.

Student code runs inside bubblewrap (Debian's ``bubblewrap`` package): a read-only view of the
system, no network, its own process and IPC namespaces, the course folder hidden (so no gradebook,
no ``submitted/``, no other student's work), and one writable folder, its own working copy. Memory
(address space) and CPU time are capped with ``prlimit``. The kernel talks to the grader over
Unix sockets inside that folder, since the sandbox has no network to reach.
"""

import functools
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from mlbasics.course import layout

BWRAP = "bwrap"
DEFAULT_MEMORY_MB = 3072
DEFAULT_CPU_SECONDS = 600
MPL_DIR = ".mpl"
"""The kernel's matplotlib settings folder (MPLCONFIGDIR), inside its working folder."""


class SandboxUnavailable(RuntimeError):
    pass


def available():
    return shutil.which(BWRAP) is not None


def install_hint():
    return ("bubblewrap is not installed: `sudo apt-get install bubblewrap` (Debian/Ubuntu) installs it. "
            "To grade without a sandbox anyway, trusting every submission, pass SANDBOX=off.")


def _package_roots():
    """Folders the kernel must still see when the course folder is hidden: the interpreter and its
    environment, the standard library and the mlbasics package itself (as this process knows
    them: a path may go through a symlink)."""
    roots = {sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix, Path(sys.executable).parent,
             Path(layout.__file__).parents[1]}
    return sorted(Path(os.path.abspath(r)) for r in roots if str(r))


def _interpreter():
    """This interpreter by a path without symlinked folders, so that it works in a sandbox that
    hides the folder a symlink lies in (``<course>/.venv -> /elsewhere/env``). The file name stays
    as it is: a virtual environment's ``python`` is itself a symlink, and resolving it would leave
    the environment."""
    exe = Path(sys.executable)
    return str(exe.parent.resolve() / exe.name)


@functools.cache
def font_list():
    """matplotlib's list of the installed fonts (``fontlist-v*.json``), as this process's matplotlib
    keeps it, or None. A sandboxed kernel's matplotlib settings folder is new and empty: without
    a copy of this list, each kernel would search the system's fonts again (0.3 s a kernel)."""
    try:
        import matplotlib
        from matplotlib import font_manager
    except ImportError:
        return None
    path = Path(matplotlib.get_cachedir()) / f"fontlist-v{font_manager.FontManager.__version__}.json"
    return path if path.is_file() else None


def hidden_folders(root):
    """The folders a kernel must not see: the course being graded (``root``: gradebook,
    submissions, feedback) and the package's own checkout when that is a course too. A folder
    that does not exist here (a Dask worker grading for a course on another machine) is left out."""
    hidden = []
    for folder, must_be_course in ((Path(root), False), (layout.ROOT, True)):
        folder = folder.resolve()
        if folder.is_dir() and (not must_be_course or (folder / "nbgrader_config.py").is_file()):
            if folder not in hidden:
                hidden.append(folder)
    return hidden


def kernel_argv(workdir, *, root, sandbox=True, memory_mb=DEFAULT_MEMORY_MB, cpu_seconds=DEFAULT_CPU_SECONDS):
    """The command line that starts one kernel for a submission of the course at ``root``,
    working in ``workdir``."""
    limits = ["prlimit", f"--as={memory_mb * 1024 * 1024}", f"--cpu={cpu_seconds}", "--core=0"]
    kernel = [_interpreter(), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    if not sandbox:
        return limits + kernel
    if not available():
        raise SandboxUnavailable(install_hint())
    workdir = str(Path(workdir).resolve())
    argv = [BWRAP, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
            "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent",
            # The kernel gets a session of its own: it interrupts itself (interrupt_mode
            # "message") without the signal reaching, and ending, bwrap.
            "--new-session"]
    # The course is hidden (gradebook, submissions, feedback). The environment and the package
    # come back into view where a tmpfs hid them: inside the course folder, or under /tmp (a clone
    # of the course in /tmp, say). Each is shown at its real path and at the path this process
    # knows it by, if a symlink in a hidden folder leads there.
    hidden = hidden_folders(root)
    mounts = [(folder, ["--tmpfs", str(folder)]) for folder in hidden]
    shadowed = [Path("/tmp"), *hidden]
    shown = {}
    for keep in _package_roots():
        real = keep.resolve()
        for seen_as in (real, keep.parent.resolve() / keep.name):
            if any(seen_as.is_relative_to(folder) for folder in shadowed):
                shown.setdefault(seen_as, real)

    def in_view(seen_as, real, outer):  # through the outer folder's mount, no hidden folder in between
        return (seen_as != outer and seen_as.is_relative_to(outer) and shown[outer] / seen_as.relative_to(outer) == real
                and not any(seen_as.is_relative_to(h) and h.is_relative_to(outer) for h in hidden))

    for seen_as, real in shown.items():
        if not any(in_view(seen_as, real, outer) for outer in shown):
            mounts.append((seen_as, ["--ro-bind", str(real), str(seen_as)]))
    # Outer folders first, so that each mount covers what an outer one showed or hid.
    for _, mount in sorted(mounts, key=lambda m: (len(m[0].parts), m[1][0] != "--tmpfs")):
        argv += mount
    # ipykernel watches JPY_PARENT_PID, which means nothing in a new PID namespace; bwrap
    # --die-with-parent ends the kernel with its grader instead.
    argv += ["--unsetenv", "JPY_PARENT_PID"]
    argv += ["--bind", workdir, workdir, "--chdir", workdir, "--setenv", "HOME", workdir,
             "--setenv", "MPLCONFIGDIR", f"{workdir}/{MPL_DIR}", "--setenv", "IPYTHONDIR", workdir + "/.ipython",
             "--"]
    return argv + limits + kernel


def kernel_manager(workdir, *, root, sandbox=True, memory_mb=DEFAULT_MEMORY_MB, cpu_seconds=DEFAULT_CPU_SECONDS,
                   threads=1):
    """A jupyter_client KernelManager whose kernel runs sandboxed in ``workdir``, hiding the course
    at ``root``, its BLAS (matrix products) on ``threads`` threads: the cores left to each kernel
    when several run at once."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    workdir = Path(workdir).resolve()
    fonts = font_list()
    if sandbox and fonts:  # the kernel's matplotlib starts from the fonts this process found
        (workdir / MPL_DIR).mkdir(exist_ok=True)
        shutil.copyfile(fonts, workdir / MPL_DIR / fonts.name)
    specs = Path(tempfile.mkdtemp(prefix="mlbasics-kernelspec-"))
    spec_dir = specs / "kernels" / "mlbasics-sandbox"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": kernel_argv(workdir, root=root, sandbox=sandbox, memory_mb=memory_mb, cpu_seconds=cpu_seconds),
        "display_name": "mlbasics (sandboxed)",
        "language": "python",
        "interrupt_mode": "message",
        "env": {"OPENBLAS_NUM_THREADS": str(threads), "OMP_NUM_THREADS": str(threads),
                "MKL_NUM_THREADS": str(threads),
                "MPLBACKEND": "module://matplotlib_inline.backend_inline", "PYTHONDONTWRITEBYTECODE": "1"},
    }))
    ksm = KernelSpecManager(kernel_dirs=[str(specs / "kernels")])
    km = AsyncKernelManager(kernel_name="mlbasics-sandbox", kernel_spec_manager=ksm, transport="ipc",
                       ip=str(workdir / ".kernel"))
    # The connection file must be readable inside the sandbox: keep it in the working folder.
    km.connection_file = str(workdir / ".kernel-connection.json")
    km._spec_tmp = specs  # removed by cleanup()
    return km


def cleanup(km):
    shutil.rmtree(getattr(km, "_spec_tmp", ""), ignore_errors=True)

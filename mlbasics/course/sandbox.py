"""Run a submission's kernel in a sandbox.

Student code runs inside bubblewrap (Debian's ``bubblewrap`` package): a read-only view of the
system, no network, its own process and IPC namespaces, the course folder hidden (so no gradebook,
no ``submitted/``, no other student's work), and one writable folder, its own working copy. Memory
(address space) and CPU time are capped with ``prlimit``. The kernel talks to the grader over
Unix sockets inside that folder, since the sandbox has no network to reach.
"""

import json
import shutil
import sys
import tempfile
from pathlib import Path

from mlbasics.course import layout

BWRAP = "bwrap"
DEFAULT_MEMORY_MB = 3072
DEFAULT_CPU_SECONDS = 600


class SandboxUnavailable(RuntimeError):
    pass


def available():
    return shutil.which(BWRAP) is not None


def install_hint():
    return ("bubblewrap is not installed: `sudo apt-get install bubblewrap` (Debian/Ubuntu) installs it. "
            "To grade without a sandbox anyway, trusting every submission, pass SANDBOX=off.")


def _package_roots():
    """Folders the kernel must still see when the course folder is hidden: the interpreter's
    environment and the mlbasics package itself."""
    roots = {Path(sys.prefix).resolve(), Path(layout.__file__).resolve().parents[1]}
    return sorted(roots)


def kernel_argv(workdir, *, sandbox=True, memory_mb=DEFAULT_MEMORY_MB, cpu_seconds=DEFAULT_CPU_SECONDS):
    """The command line that starts one kernel for a submission working in ``workdir``."""
    limits = ["prlimit", f"--as={memory_mb * 1024 * 1024}", f"--cpu={cpu_seconds}", "--core=0"]
    kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
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
    root = str(layout.ROOT)
    argv += ["--tmpfs", root]  # hide the course: gradebook, submissions, feedback
    # The environment and the package come back into view where a tmpfs hid them: inside the
    # course folder, or under /tmp (a clone of the course in /tmp, say).
    for keep in _package_roots():
        if any(keep.is_relative_to(hidden) for hidden in ("/tmp", root)):
            argv += ["--ro-bind", str(keep), str(keep)]
    # ipykernel watches JPY_PARENT_PID, which means nothing in a new PID namespace; bwrap
    # --die-with-parent ends the kernel with its grader instead.
    argv += ["--unsetenv", "JPY_PARENT_PID"]
    argv += ["--bind", workdir, workdir, "--chdir", workdir, "--setenv", "HOME", workdir,
             "--setenv", "MPLCONFIGDIR", workdir + "/.mpl", "--setenv", "IPYTHONDIR", workdir + "/.ipython",
             "--"]
    return argv + limits + kernel


def kernel_manager(workdir, *, sandbox=True, memory_mb=DEFAULT_MEMORY_MB, cpu_seconds=DEFAULT_CPU_SECONDS,
                   threads=1):
    """A jupyter_client KernelManager whose kernel runs sandboxed in ``workdir``, its BLAS (matrix
    products) on ``threads`` threads: the cores left to each kernel when several run at once."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    workdir = Path(workdir).resolve()
    specs = Path(tempfile.mkdtemp(prefix="mlbasics-kernelspec-"))
    spec_dir = specs / "kernels" / "mlbasics-sandbox"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": kernel_argv(workdir, sandbox=sandbox, memory_mb=memory_mb, cpu_seconds=cpu_seconds),
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

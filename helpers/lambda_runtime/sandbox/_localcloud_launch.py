"""Inside a new execution environment: lay out its files, then start the function's runtime.

Runs as the first code of a worker process, either in a child forked from the
zygote (``_localcloud_zygote.py``) or as ``python _localcloud_launch.py <spec.json>``
(spawn). It mirrors what Lambda does before the INIT phase: the deployment package
is extracted into the environment's own task folder (``/var/task`` on AWS), the
layers in order into its own ``/opt`` equivalent, ``/tmp`` is the environment's own
folder; then the runtime starts and talks to the Runtime API at
``AWS_LAMBDA_RUNTIME_API``. A problem found here (a broken zip, no ``bootstrap``) is
reported to ``/runtime/init/error`` like any init failure.
https://docs.aws.amazon.com/lambda/latest/dg/configuration-layers.html
https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html

Standard library only: it runs in the function's process, never in the server.
"""
from __future__ import annotations

import json
import os
import stat
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


class LaunchError(Exception):
    def __init__(self, error_type: str, message: str):
        super().__init__(message)
        self.error_type = error_type
        self.message = message


def extract(zip_path: str, destination: str) -> None:
    """Unzip keeping the executable bits, which ``zipfile`` alone drops (a ``bootstrap`` needs them)."""
    try:
        with zipfile.ZipFile(zip_path) as archive:
            for info in archive.infolist():
                target = archive.extract(info, destination)
                mode = (info.external_attr >> 16) & 0o777
                if mode and not info.is_dir():
                    os.chmod(target, mode | stat.S_IRUSR)
    except (zipfile.BadZipFile, OSError) as error:
        raise LaunchError("Runtime.InvalidEntrypoint" if isinstance(error, OSError)
                          else "InvalidZipFileException",
                          f"Could not unzip the deployment package: {error}") from None


def prepare(spec: dict) -> None:
    os.environ.clear()
    os.environ.update(spec["env"])
    for folder in (spec["task_dir"], spec["opt_dir"], spec["tmp_dir"]):
        os.makedirs(folder, exist_ok=True)
    if spec.get("code_zip"):
        extract(spec["code_zip"], spec["task_dir"])
    for layer_zip in spec.get("layer_zips", []):
        extract(layer_zip, spec["opt_dir"])
    os.chdir(spec["task_dir"])
    import tempfile

    tempfile.tempdir = None  # the zygote's cached answer pointed at the server's TMPDIR


def python_paths(spec: dict) -> list[str]:
    """As on Lambda: the task root, then the layers' ``python/lib/python3.x/site-packages`` and ``python``."""
    opt = spec["opt_dir"]
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    return [spec["task_dir"], os.path.join(opt, "python", "lib", version, "site-packages"),
            os.path.join(opt, "python")]


def run_python(spec: dict) -> None:
    if spec.get("python_client") != "awslambdaric":
        import _localcloud_pyclient  # noqa: F401  (imported while this folder is on sys.path)
    if HERE in sys.path:
        sys.path.remove(HERE)  # the function must not import the course's own files
    sys.path[:0] = python_paths(spec)
    sys.dont_write_bytecode = True  # /var/task is read-only on Lambda: no __pycache__ there either
    note = spec.get("interpreter_note")
    if note:
        print(note, flush=True)
    if spec.get("python_client") == "awslambdaric":
        from awslambdaric import bootstrap
        from awslambdaric import lambda_runtime_client as ric_client

        load_runtime_client()
        from awslambdaric.lambda_config import LambdaConfigProvider

        use_thread = os.environ.get("AWS_EXECUTION_ENV") in LambdaConfigProvider.SUPPORTED_THREADPOLLING_ENVS
        client = ric_client.LambdaRuntimeClient(os.environ["AWS_LAMBDA_RUNTIME_API"], use_thread)
        bootstrap.run(spec["handler"], client)
    else:
        sys.modules["_localcloud_pyclient"].main(spec["handler"])


def load_runtime_client() -> None:
    """awslambdaric's C client reads AWS_LAMBDA_RUNTIME_API once, when its library loads;
    the zygote imported awslambdaric without it, so it is loaded here, address set."""
    from awslambdaric import lambda_runtime_client as ric_client

    if ric_client.runtime_client is None:
        sys.modules.pop("runtime_client", None)
        import runtime_client

        runtime_client.initialize_client(ric_client._user_agent())
        ric_client.runtime_client = runtime_client


def wait_for_assignment(address: str) -> dict:
    """Park: ask the environment's endpoint (a local-cloud-only route) which function to be."""
    import socket

    host, port = address.rsplit(":", 1)
    with socket.create_connection((host, int(port))) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(b"GET /2018-06-01/runtime/_localcloud/assignment HTTP/1.1\r\nHost: " +
                     address.encode() + b"\r\n\r\n")
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                raise SystemExit(0)  # the server let this spare go
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:"))
        while len(body) < length:
            chunk = sock.recv(max(65536, length - len(body)))
            if not chunk:
                raise SystemExit(0)
            body += chunk
    return json.loads(body)


def park(spare: dict) -> None:
    """A spare environment: everything that does not depend on the function, done ahead."""
    os.environ.update(spare["env"])
    for folder in (spare["task_dir"], spare["opt_dir"], spare["tmp_dir"]):
        os.makedirs(folder, exist_ok=True)
    if spare.get("python_client") == "awslambdaric":
        try:
            load_runtime_client()
        except ImportError:
            pass
    run(wait_for_assignment(spare["env"]["AWS_LAMBDA_RUNTIME_API"]))


def exec_command(spec: dict) -> list[str]:
    if spec["kind"] == "node":
        node = spec.get("node")
        if not node:
            raise LaunchError("Runtime.InvalidEntrypoint",
                              "Node.js is not installed on this computer (no `node` on PATH), "
                              "so nodejs functions cannot run in the local cloud.")
        return [node, os.path.join(HERE, "node_bootstrap.js")]
    candidates = [os.path.join(spec["task_dir"], "bootstrap"), os.path.join(spec["opt_dir"], "bootstrap")]
    for path in candidates:
        if os.path.isfile(path):
            if not os.access(path, os.X_OK):
                raise LaunchError("Runtime.InvalidEntrypoint",
                                  f"Couldn't execute {path}: permission denied (make the bootstrap "
                                  "executable before zipping it: chmod 755 bootstrap)")
            return [path]
    raise LaunchError("Runtime.InvalidEntrypoint",
                      f"Couldn't find valid bootstrap(s): {candidates}")


def report_init_error(error: LaunchError) -> None:
    import http.client

    document = {"errorMessage": error.message, "errorType": error.error_type, "stackTrace": []}
    print(f"[ERROR] {error.error_type}: {error.message}", flush=True)
    try:
        connection = http.client.HTTPConnection(os.environ["AWS_LAMBDA_RUNTIME_API"], timeout=5)
        connection.request("POST", "/2018-06-01/runtime/init/error", json.dumps(document).encode(),
                           {"Lambda-Runtime-Function-Error-Type": error.error_type,
                            "Content-Type": "application/json"})
        connection.getresponse().read()
    except OSError:
        pass


def run(spec: dict) -> None:
    """Prepare the environment, then become the runtime. Never returns normally."""
    if spec.get("mode") == "spare":
        park(spec)
        return
    try:
        prepare(spec)
        if spec["kind"] == "python":
            run_python(spec)
            return
        command = exec_command(spec)
    except LaunchError as error:
        report_init_error(error)
        sys.exit(1)
    sys.stdout.flush()
    if os.name == "nt":  # no exec on Windows: run it and pass its exit code on
        import subprocess

        sys.exit(subprocess.call(command, env=dict(os.environ)))
    os.execve(command[0], command, dict(os.environ))


if __name__ == "__main__":  # the spawn start method (this folder is sys.path[0])
    with open(sys.argv[1], encoding="utf-8") as spec_file:
        run(json.load(spec_file))

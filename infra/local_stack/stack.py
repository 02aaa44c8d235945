"""The running local stack: starts every part in order, stops them in reverse, and says where they are.

Order: the emulator, the stack deployed into it, the sandbox payment gateway (its URL and keys go into every
function's environment), the sandbox CEP lookup (its URL too), the sandbox ERP (its URL and connector token go to
the demo seed, which points the demo merchant's connector at it), the demo data, the workers, the SQS pollers, the
scheduler and last the HTTP front, so the first request that gets an answer finds everything ready, and the controls
(``local_stack.controls``, a loopback port of their own); then the sandbox's webhooks are pointed at the front's
``/webhooks/gateway`` and the sandbox ERP at the front's order feed, with the demo API key. ``stop()`` undoes it
all and leaves no process behind.
"""

import dataclasses
import json
import logging
import os
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from local_stack import emulator
from local_stack.clock import LocalClock
from local_stack.controls import LocalControls
from local_stack.deploy import Stack, deploy
from local_stack.front import Front
from local_stack.pollers import DEFAULT_RETRY_DELAY_SECONDS, Pollers
from local_stack.routes import RouteTable
from local_stack.sandbox_cep import SandboxCep
from local_stack.sandbox_erp import SandboxErp
from local_stack.sandbox_erp.erp import DEFAULT_COUNTER_SALE_SECONDS, DEFAULT_FEED_POLL_SECONDS
from local_stack.sandbox_gateway import SandboxGateway
from local_stack.sandbox_loyalty import SandboxLoyalty
from local_stack.sandbox_messaging import SandboxMessaging
from local_stack.scheduler import Scheduler
from local_stack.template import INFRA_DIR
from local_stack.workers import DEFAULT_MAX_WORKERS, Workers

log = logging.getLogger("local_stack")

REPO_ROOT = INFRA_DIR.parent
STATE_DIR = REPO_ROOT / ".local"
DEFAULT_STATE_FILE = STATE_DIR / "stack.json"
DEFAULT_PORT = 3000
# Variables only the Lambda runtime sets; the demo seed runs in this process, not in a function.
_RUNTIME_ONLY = ("AWS_LAMBDA_", "_HANDLER", "LAMBDA_TASK_ROOT", "AWS_EXECUTION_ENV")


@dataclass(frozen=True)
class Options:
    port: int = DEFAULT_PORT
    seed: bool = True
    state_file: Path = DEFAULT_STATE_FILE
    max_workers: int = DEFAULT_MAX_WORKERS
    retry_delay: int = DEFAULT_RETRY_DELAY_SECONDS
    # The sandbox ERP's timers; 0 runs that work only on demand (POST /sandbox/counter-sale, /sandbox/sync-now).
    erp_counter_sale_seconds: float = DEFAULT_COUNTER_SALE_SECONDS
    erp_feed_poll_seconds: float = DEFAULT_FEED_POLL_SECONDS


class PortInUse(RuntimeError):
    pass


class _Stoppable(Protocol):
    def stop(self) -> None: ...


def _stop_each(*parts: _Stoppable | None) -> None:
    """Stop the parts that started, in this order."""
    for part in parts:
        if part is not None:
            part.stop()


class LocalStack:
    def __init__(self, options: Options) -> None:
        self.options = options
        self.emulator: emulator.Emulator | None = None
        self.stack: Stack | None = None
        self.gateway: SandboxGateway | None = None
        self.cep: SandboxCep | None = None
        self.loyalty: SandboxLoyalty | None = None
        self.messaging: SandboxMessaging | None = None
        self.erp: SandboxErp | None = None
        self.workers: Workers | None = None
        self.pollers: Pollers | None = None
        self.scheduler: Scheduler | None = None
        self.front: Front | None = None
        self.controls: LocalControls | None = None
        self.seed: dict[str, Any] | None = None
        self.started_at = datetime.now(UTC)
        self.startup_seconds = 0.0

    def start(self) -> None:
        started = time.monotonic()
        _require_free_port(self.options.port)
        self.options.state_file.parent.mkdir(parents=True, exist_ok=True)
        self.emulator = emulator.start_emulator(log_path=self.options.state_file.with_name("emulator.log"))
        log.info("emulator up at %s", self.emulator.url)
        self.stack = deploy(self.emulator.url)
        log.info("stack %s created (%d functions)", self.stack.name, len(self.stack.functions))
        self.gateway = SandboxGateway()
        self.gateway.start()
        _add_environment(self.stack, self.gateway.environment())
        self.clock = LocalClock(
            self.options.state_file.with_name("clock.json"), on_move=self.gateway.transfers.clock.set_offset
        )
        _add_environment(self.stack, self.clock.environment())
        self.cep = SandboxCep()
        self.cep.start()
        _add_environment(self.stack, self.cep.environment())
        # The loyalty partner (issue 19): the seed points the demo merchant's loyalty settings at it.
        self.loyalty = SandboxLoyalty()
        self.loyalty.start()
        self.messaging = SandboxMessaging()
        self.messaging.start()
        # A message's links start at the front (the template gives the notifier the HTTP API's URL).
        _add_environment(self.stack, {**self.messaging.environment(), "API_BASE_URL": _front_url(self.options.port)})
        _messaging_accounts(self.stack, self.messaging)
        self.erp = SandboxErp(
            counter_sale_seconds=self.options.erp_counter_sale_seconds,
            feed_poll_seconds=self.options.erp_feed_poll_seconds,
        )
        # Served now (the seed may read it); selling and polling once the stack is up, like the schedules.
        self.erp.start(timers=False)
        if self.options.seed:
            # The gateway's too: the demo merchant registers as a recipient for payouts.
            seed_extra = {**self.erp.environment(), **self.gateway.environment(), **_loyalty_environment(self.loyalty)}
            self.seed = _seed(self.stack, seed_extra)
        self.workers = Workers(self.stack.functions, self.options.max_workers)
        self.pollers = Pollers(self.stack, self.workers, self.options.retry_delay)
        self.pollers.start()
        self.scheduler = Scheduler(self.stack, self.workers, clock=self.clock)
        self.scheduler.start()
        routes = RouteTable(route for function in self.stack.functions.values() for route in function.spec.routes)
        self.front = Front(routes, self.workers, self.stack.account_id, self.options.port)
        self.front.start()
        self.controls = LocalControls(status=self.status, fire_schedule=self.scheduler.fire)
        self.controls.start()
        # The sandbox notifies the front as pagar.me would, with the Basic credentials the stack put in SSM.
        credentials = self.stack.webhook_credentials
        self.gateway.add_webhook_target(f"{self.front.url}/webhooks/gateway", credentials.user, credentials.password)
        # The ERP reads the feed as an integration does: through the front, with the demo key (scopes merchant, erp).
        if self.seed and self.seed.get("api_key"):
            self.erp.connect_vitrine(self.front.url, self.seed["api_key"])
        self.erp.start_timers()
        # Delivery statuses come back to the front's webhooks, as Meta and Zenvia would send them.
        self.messaging.send_statuses_to(self.front.url)
        self.startup_seconds = time.monotonic() - started
        self._write_state()

    def stop(self) -> None:
        """Stop everything that started; safe to call at any point of ``start()``."""
        # The ERP first, while the front still answers the feed request it may have in flight.
        _stop_each(self.erp, self.controls, self.front, self.scheduler)
        if self.pollers is not None:
            # Pollers sit in a long poll; stopping the emulator under them ends it sooner than waiting.
            self.pollers.request_stop()
        _stop_each(self.workers, self.gateway, self.cep, self.loyalty, self.messaging, self.emulator, self.pollers)
        self._remove_state()

    def settings(self) -> dict[str, Any]:
        """Where everything is: what ``.local/stack.json`` holds for the CLI, tests and tools."""
        assert self.stack is not None and self.front is not None and self.emulator is not None
        assert self.gateway is not None and self.controls is not None
        stack = self.stack
        return {
            "pid": os.getpid(),
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "api_url": self.front.url,
            "port": self.front.port,
            # vitrine-local status / fire: GET /_local/status, POST /_local/schedules/{name} (local_stack.controls).
            "control_url": self.controls.url,
            "catalog_url": f"{self.front.url}/c/{(self.seed or {}).get('catalog_slug', 'demo')}",
            "emulator_url": stack.emulator_url,
            "emulator_log": str(self.emulator.log_path),
            "region": stack.region,
            "account_id": stack.account_id,
            "stack_name": stack.name,
            "parameters": stack.parameters,
            "outputs": stack.outputs,
            "table_name": stack.table_name,
            "event_bus_name": stack.event_bus_name,
            "functions": {logical_id: f.name for logical_id, f in stack.functions.items()},
            "queues": {logical_id: dataclasses.asdict(q) for logical_id, q in stack.queues.items()},
            "schedules": {logical_id: s.name for logical_id, s in stack.schedules.items()},
            "webhook_credentials": dataclasses.asdict(stack.webhook_credentials),
            "payment_gateway": {
                "url": self.gateway.url,
                "api_url": self.gateway.api_url,
                "public_key": self.gateway.public_key,
                "secret_key": self.gateway.secret_key,
                "webhook_deliveries_url": f"{self.gateway.url}/sandbox/webhooks/deliveries",
            },
            "cep_lookup": self.cep.settings() if self.cep is not None else None,
            "loyalty": self.loyalty.settings() if self.loyalty is not None else None,
            "erp": self._erp_settings(),
            "messaging": self.messaging.settings() if self.messaging is not None else None,
            "seed": self.seed,
        }

    def _erp_settings(self) -> dict[str, Any] | None:
        if self.erp is None:
            return None
        return {
            "url": self.erp.url,
            "token": self.erp.token,
            "status_url": f"{self.erp.url}/sandbox/status",
            "sync_now_url": f"{self.erp.url}/sandbox/sync-now",
            "counter_sale_url": f"{self.erp.url}/sandbox/counter-sale",
            "counter_sale_seconds": self.erp.counter_sale_seconds,
            "feed_poll_seconds": self.erp.feed_poll_seconds,
            "feed_connected": self.erp.connected,
        }

    def status(self) -> dict[str, Any]:
        assert self.workers is not None and self.pollers is not None and self.scheduler is not None
        return {
            "stack": self.settings(),
            "functions": self.workers.status(),
            "queues": self.pollers.status(),
            "schedules": self.scheduler.status(),
        }

    def _write_state(self) -> None:
        path = self.options.state_file
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        # It holds local credentials: readable by this user only.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            json.dump(self.settings(), file, indent=2, default=str)
        temporary.replace(path)

    def _remove_state(self) -> None:
        path = self.options.state_file
        try:
            if json.loads(path.read_text()).get("pid") == os.getpid():
                path.unlink()
        except (FileNotFoundError, ValueError):
            return


def read_state(state_file: Path = DEFAULT_STATE_FILE) -> dict[str, Any]:
    """The settings a running stack wrote; raises FileNotFoundError when none is running."""
    return json.loads(state_file.read_text())


def _require_free_port(port: int) -> None:
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise PortInUse(
                f"port {port} is in use (another make dev?); use --port or VITRINE_PORT to pick another"
            ) from exc


def _front_url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def _messaging_accounts(stack: Stack, messaging: SandboxMessaging) -> None:
    """The providers' secrets in SSM, as in AWS; SES's sender verified and its configuration set made in the
    emulator (the template's set is a resource the emulator does not create)."""
    ssm = emulator.client(stack.emulator_url, "ssm")
    ssm.put_parameter(
        Name=stack.parameters["MessagingCredentialsParameter"],
        Type="SecureString",
        Value=json.dumps(messaging.credentials),
        Overwrite=True,
    )
    emulator.client(stack.emulator_url, "ses").verify_email_identity(
        EmailAddress=messaging.environment()["SES_FROM_ADDRESS"]
    )
    sesv2 = emulator.client(stack.emulator_url, "sesv2")
    name = f"vitrine-{stack.parameters['Stage']}"
    if name not in sesv2.list_configuration_sets().get("ConfigurationSets", []):
        sesv2.create_configuration_set(ConfigurationSetName=name)


def _add_environment(stack: Stack, variables: dict[str, str]) -> None:
    """Give every function these variables too (locally, what SSM and the template give them in AWS)."""
    stack.functions = {
        logical_id: dataclasses.replace(function, environment={**function.environment, **variables})
        for logical_id, function in stack.functions.items()
    }


def seed_environment(stack: Stack) -> dict[str, str]:
    """What the core needs to reach the stack from this process: every function's template variables."""
    environment: dict[str, str] = {}
    for function in stack.functions.values():
        environment.update(function.environment)
    environment = {k: v for k, v in environment.items() if not k.startswith(_RUNTIME_ONLY)}
    environment["POWERTOOLS_SERVICE_NAME"] = "local_stack_seed"
    return environment


def _loyalty_environment(loyalty: SandboxLoyalty) -> dict[str, str]:
    """Where the seed points the demo merchant's loyalty partner (the sandbox's API and key)."""
    return {"SANDBOX_LOYALTY_URL": loyalty.api_url, "SANDBOX_LOYALTY_API_KEY": loyalty.api_key}


def _seed(stack: Stack, extra: dict[str, str]) -> dict[str, Any] | None:
    """The demo data; ``extra`` joins the seed's environment (the sandbox ERP's URL and connector token)."""
    started = time.monotonic()
    try:
        from local_stack.seed import seed_demo

        result = seed_demo({**seed_environment(stack), **extra})
    except ModuleNotFoundError as exc:
        if exc.name != "local_stack.seed":
            log.exception("the demo seed failed; the stack runs without demo data")
            return None
        log.warning("no demo data: there is no local_stack/seed.py yet")
        return None
    except Exception:
        # A half-written core must not keep make dev from starting; the reason is printed in full.
        log.exception("the demo seed failed; the stack runs without demo data")
        return None
    log.info("demo data written in %.1f s", time.monotonic() - started)
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return dataclasses.asdict(result)
    return dict(result) if isinstance(result, dict) else {"result": str(result)}

"""Open the asnsim dashboard in a real browser (headless chromium) and save a screenshot.

    .venv/bin/python scripts/dashboard_screenshot.py [--scenario scenarios/kotabumi.yaml]
        [--lang en] [--years 3] [--out docs/img/dashboard.png]

Starts ``python -m asnsim.app SCENARIO --host 127.0.0.1 --port <free port> --years 3`` (the
same server as ``asnsim dashboard``) in its own process group and waits until it answers. Then
it starts Debian's headless chromium with its DevTools port on 127.0.0.1, opens the page, waits
until the page shows the controls, the widgets and the five plots, takes the screenshot, and
stops chromium and the server. Exit 0 when the page rendered, shows no error and the screenshot
is not blank; 1 otherwise (with the page's text and the server log).

Why DevTools and not ``chromium --screenshot --virtual-time-budget=...``: a Solara page is
drawn by its Python kernel over a websocket after the page has loaded, and chromium's virtual
time does not wait for websocket traffic, so ``--screenshot`` and ``--dump-dom`` return within
a second of real time showing Solara's "Loading app" spinner, whatever the budget.

Solara's page loads its front end (the Vuetify app, requirejs, the grid layout, Font Awesome)
through the server's CDN proxy, which downloads them from a public CDN on first use. Where no
CDN is reachable (this project's machines reach package registries only), the script fills a
private proxy cache from the npm registry with ``npm pack`` (``--assets npm``, the default when
npm is installed) and points the server at it with ``SOLARA_ASSETS_PROXY_CACHE_DIR``; the
installed solara tells which package versions its page asks for.

Needs Debian's chromium (``apt-get install -y chromium``), npm for ``--assets npm`` and the
``dashboard`` extra. Only the loopback address is used; chromium runs with the networking
features it does not need turned off.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]

# what the page must show once drawn, per language: controls, widgets; and five plots
EXPECTED_TEXT = {
    "en": ("RESET", "STEP", "City (scenario)", "Placement policy", "Training policy", "IKM"),
    "id": ("RESET", "STEP", "Kota/kabupaten (skenario)", "Kebijakan penempatan", "IKM"),
}
EXPECTED_PLOTS = 5
# the results page (--results DIR): its title, input and button; one plot per figure of DIR
RESULTS_TEXT = {
    "en": ("Saved results", "Result folder", "Answer:", "WRITE THE BRIEF"),
    "id": ("Hasil tersimpan", "Folder hasil", "Jawaban:", "TULIS RINGKASAN"),
}
ERROR_TEXT = ("Traceback", "Error:", "error in step", "Could not load")

_PAGE_STATE = """JSON.stringify({
  text: document.body ? document.body.innerText : "",
  plots: [...document.images].filter(i => i.complete && i.naturalWidth > 100).length
})"""


# --------------------------------------------------------------------------- solara's front end


def _solara_asset_specs() -> list[str]:
    """The npm ``package@version`` of each front-end file that the installed solara loads."""
    import solara
    import solara.server.settings as server_settings
    import solara.util

    root = Path(solara.__file__).parent
    template = (root / "server" / "templates" / "solara.html.j2").read_text()
    app = "solara-vuetify3-app" if solara.util.IPYVUETIFY_V3 else "solara-vuetify-app"
    grid = (root / "widgets" / "vue" / "gridlayout.vue").read_text()
    found = [
        re.search(rf"@widgetti/{app}@[\w.-]+?(?=/)", template),
        re.search(r"@widgetti/vue-grid-layout@[\w.-]+?(?=/)", grid),
        re.search(r"requirejs@[\w.-]+?(?=/)", grid),
        re.search(r"font-awesome@[\w.-]+?(?=/)", server_settings.assets.fontawesome_path),
    ]
    missing = [i for i, m in enumerate(found) if m is None]
    if missing:
        raise RuntimeError(f"cannot tell solara's front-end packages (items {missing})")
    return [m.group(0) for m in found]


def fill_asset_cache(cache: Path) -> None:
    """Unpack solara's front-end packages from the npm registry into a CDN-proxy cache."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            "npm not found; install it (apt-get install -y npm) or use --assets cdn"
        )
    for spec in _solara_asset_specs():
        target = cache / spec
        if target.is_dir() and any(target.iterdir()):
            continue
        print(f"fetching {spec} from the npm registry", flush=True)
        with tempfile.TemporaryDirectory(prefix="asnsim-npm-") as tmp:
            done = subprocess.run(
                [npm, "pack", spec, "--silent", "--pack-destination", tmp],
                capture_output=True,
                text=True,
                check=False,
            )
            tarballs = list(Path(tmp).glob("*.tgz"))
            if done.returncode != 0 or not tarballs:
                raise RuntimeError(f"npm pack {spec} failed: {done.stderr.strip()[-500:]}")
            unpacked = Path(tmp) / "unpacked"
            with tarfile.open(tarballs[0]) as tar:
                tar.extractall(unpacked, filter="data")
            (top,) = list(unpacked.iterdir())  # an npm tarball holds one folder, "package"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(target, ignore_errors=True)
            shutil.move(str(top), target)


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    """A free TCP port on the loopback address."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float) -> None:
    """Wait until ``url`` answers 200, or fail if the server exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the dashboard server exited with code {proc.returncode}")
        with (
            contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError),
            urllib.request.urlopen(url, timeout=5) as response,
        ):
            if response.status == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"the dashboard did not answer at {url} within {timeout:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    """Stop a process started with ``start_new_session=True`` and its children (its group)."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


# --------------------------------------------------------------------------- the browser


def chromium_binary() -> str:
    """Debian's chromium, or an error saying how to install it."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("chromium not found; install it with: apt-get install -y chromium")


class DevTools:
    """A minimal Chrome DevTools Protocol client over one page's websocket."""

    def __init__(self, ws):
        self._ws = ws
        self._id = 0

    def call(self, method: str, timeout: float = 60.0, **params) -> dict:
        """Send a command and return its result (events arriving meanwhile are skipped)."""
        self._id += 1
        self._ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self._ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.get("id") == self._id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})


def screenshot(
    url: str,
    out: Path,
    size: str,
    expected: tuple[str, ...],
    timeout: float,
    plots: int = EXPECTED_PLOTS,
) -> tuple[str, list[str]]:
    """Open ``url`` in headless chromium, wait until it is drawn, save a PNG of the window.

    Returns:
        The page's visible text and the problems found (missing text or plots, errors).
    """
    with tempfile.TemporaryDirectory(prefix="asnsim-chromium-") as profile:
        proc = subprocess.Popen(
            [
                chromium_binary(),
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={size}",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            return _drive(proc, Path(profile), url, out, size, expected, timeout, plots)
        finally:
            stop(proc)


def _drive(
    proc: subprocess.Popen,
    profile: Path,
    url: str,
    out: Path,
    size: str,
    expected: tuple[str, ...],
    timeout: float,
    plots: int,
) -> tuple[str, list[str]]:
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while not port_file.exists() or not port_file.read_text().strip():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("chromium did not open its DevTools port")
        time.sleep(0.2)
    port = int(port_file.read_text().split()[0])
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
        targets = [t for t in json.load(r) if t.get("type") == "page"]
    from websockets.sync.client import connect

    width, height = (int(v) for v in size.split(","))
    with connect(targets[0]["webSocketDebuggerUrl"], max_size=None, open_timeout=30) as ws:
        tools = DevTools(ws)
        tools.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        tools.call("Page.enable")
        tools.call("Page.navigate", url=url)
        state: dict = {"text": "", "plots": 0}
        while time.monotonic() < deadline:
            time.sleep(1.0)
            value = tools.call("Runtime.evaluate", expression=_PAGE_STATE, returnByValue=True)
            state = json.loads(value["result"]["value"])
            errors = [bad for bad in ERROR_TEXT if bad in state["text"]]
            ready = all(t in state["text"] for t in expected)
            if errors or (ready and state["plots"] >= plots):
                break
        time.sleep(1.0)  # let the last images paint
        shot = tools.call("Page.captureScreenshot", format="png")
        out.write_bytes(base64.b64decode(shot["data"]))
    problems = [f"'{t}' not on the page" for t in expected if t not in state["text"]]
    if state["plots"] < plots:
        problems.append(f"{state['plots']} plots drawn on the page; expected {plots}")
    problems += [f"'{bad}' on the page" for bad in ERROR_TEXT if bad in state["text"]]
    return state["text"], problems


def check_png(path: Path) -> list[str]:
    """Problems of the screenshot: missing, or blank (one colour, or almost nothing drawn)."""
    if not path.exists() or path.stat().st_size == 0:
        return [f"{path} missing or empty"]
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(path).convert("L"), dtype=float)
    background = np.bincount(pixels.astype(int).ravel()).argmax()
    drawn = (np.abs(pixels - background) > 16).mean()
    if pixels.std() < 5 or drawn < 0.03:
        return [f"{path} looks blank (std {pixels.std():.1f}, {100 * drawn:.1f}% drawn)"]
    return []


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    """Take the screenshot; return 0 if the dashboard rendered, 1 if not."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default=str(ROOT / "scenarios" / "kotabumi.yaml"))
    p.add_argument("--lang", default="en", choices=("en", "id"))
    p.add_argument("--years", type=float, default=3.0, help="years simulated before the shot")
    p.add_argument(
        "--results",
        metavar="DIR",
        help="shoot the results page showing this comparison, robust or Pareto folder instead",
    )
    p.add_argument("--out", default=str(ROOT / "docs" / "img" / "dashboard.png"))
    p.add_argument("--window-size", default="1400,1350", help="the page's W,H in pixels")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds for each stage")
    p.add_argument(
        "--assets",
        choices=("npm", "cdn"),
        default="npm" if shutil.which("npm") else "cdn",
        help="where solara's front end comes from: unpacked from the npm registry into a "
        "private cache (default when npm exists), or solara's own CDN proxy",
    )
    p.add_argument(
        "--asset-cache",
        default=str(
            Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
            / "asnsim"
            / "solara-cdn"
        ),
        help="the private cache for --assets npm",
    )
    args = p.parse_args(argv)

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()
    env = dict(os.environ)
    if args.assets == "npm":
        try:
            fill_asset_cache(Path(args.asset_cache))
        except RuntimeError as err:
            print(f"dashboard screenshot FAILED:\n  {err}", file=sys.stderr)
            return 1
        env["SOLARA_ASSETS_PROXY_CACHE_DIR"] = str(Path(args.asset_cache).resolve())
    port = free_port()
    url = f"http://{HOST}:{port}/"
    shown = ["--results", args.results] if args.results else [args.scenario]
    server_cmd = [
        sys.executable,
        "-m",
        "asnsim.app",
        *shown,
        "--host",
        HOST,
        "--port",
        str(port),
        "--lang",
        args.lang,
    ]
    if args.results:
        expected = RESULTS_TEXT[args.lang]
        plots = max(1, len(list(Path(args.results).glob("*.png"))))
    else:
        server_cmd += ["--years", str(args.years)]
        expected, plots = EXPECTED_TEXT[args.lang], EXPECTED_PLOTS
    print("starting:", " ".join(server_cmd), flush=True)
    problems: list[str] = []
    text = ""
    with tempfile.TemporaryFile(mode="w+") as log:
        proc = subprocess.Popen(
            server_cmd,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_up(url, proc, args.timeout)
            print(f"server up at {url}; opening it in headless chromium", flush=True)
            text, problems = screenshot(url, out, args.window_size, expected, args.timeout, plots)
        except (RuntimeError, OSError, TimeoutError) as err:
            problems.append(f"{type(err).__name__}: {err}")
        finally:
            stop(proc)
        problems += check_png(out)
        if problems:
            log.seek(0)
            print("dashboard screenshot FAILED:", *problems, sep="\n  ", file=sys.stderr)
            print("--- page text ---", text[:3000], sep="\n", file=sys.stderr)
            print("--- server log ---", log.read()[-4000:], sep="\n", file=sys.stderr)
            return 1
    print(f"screenshot written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

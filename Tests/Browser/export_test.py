#!/usr/bin/env python3
"""The exported page in a real browser: headless Chromium driven through chromedriver's W3C
WebDriver HTTP API (standard library only). Keys are pressed as a student presses them, and
after each the page's frame text must equal `tatami render --step N` for the step the keys
lead to, worked out here from the phases `render --all` names and the lesson file's questions.

Usage: Tests/Browser/export_test.py [path/to/tatami] [--screenshot PATH]
"""
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LESSON = "01"
SIZE = "100x32"
ENV = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8")
ENV.pop("TATAMI_ASCII", None)
# W3C WebDriver key codes.
RIGHT, LEFT, ENTER, HOME, END = "\ue014", "\ue012", "\ue007", "\ue011", "\ue010"

failures = []
checks = 0


def check(ok, what, detail=""):
    global checks
    checks += 1
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)
        if detail:
            print(detail)


def tatami(binary, *args):
    run = subprocess.run([binary, *args], capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=120)
    if run.returncode != 0:
        sys.exit(f"tatami {' '.join(args)} failed ({run.returncode}): {run.stderr.strip()}")
    return run.stdout


class Lesson:
    """What the keys should lead to, from tatami's plain text and the lesson file alone."""

    def __init__(self, binary):
        self.binary = binary
        self.expected = {}
        titles = re.findall(r"^── step (\d+)/(\d+) · (.+?) ─+$",
                            tatami(binary, "render", LESSON, "--all", "--color", "never", "--size", SIZE, "--lang", "en"),
                            re.M)
        self.steps = int(titles[0][1])
        self.phase_starts = [int(n) - 1 for i, (n, _, name) in enumerate(titles) if i == 0 or titles[i - 1][2] != name]
        # Questions in the lesson file: the English prompt of each, and the step it comes before.
        source = next((ROOT / "Lessons").glob(LESSON + "-*.md")).read_text()
        self.questions = re.findall(r"^\? en: (.+)$", source, re.M)
        # The view the lesson starts in (its front matter's `view:`), numbers unless it says.
        self.starts_in_symbols = re.search(r"^view: symbols\s*$", source, re.M) is not None

    def frame(self, step, language="en", symbols=False):
        key = (step, language, symbols)
        if key not in self.expected:
            args = ["render", LESSON, "--step", str(step + 1), "--color", "never", "--size", SIZE, "--lang", language]
            self.expected[key] = tatami(self.binary, *args + (["--symbols"] if symbols else ["--numbers"])).rstrip("\n")
        return self.expected[key]


class Browser:
    """A chromedriver process and one headless Chromium session, spoken to over HTTP."""

    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.driver = subprocess.Popen(["chromedriver", f"--port={self.port}"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 20
        while True:
            try:
                if self.call("GET", "/status")["value"].get("ready"):
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            if time.time() > deadline:
                self.driver.kill()
                sys.exit("chromedriver did not start within 20 s")
            time.sleep(0.1)
        options = {"args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--window-size=1280,900"]}
        for binary in ("/usr/lib/chromium/chromium", "/usr/bin/chromium"):
            if os.path.exists(binary):
                options["binary"] = binary
                break
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": options}}}
        self.session = "/session/" + self.call("POST", "/session", caps)["value"]["sessionId"]

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            sys.exit(f"WebDriver {method} {path}: {error.read().decode(errors='replace')[:500]}")

    def do(self, method, path, body=None):
        return self.call(method, self.session + path, body)["value"]

    def script(self, source, *args):
        return self.do("POST", "/execute/sync", {"script": source, "args": list(args)})

    def press(self, *keys):
        actions = []
        for key in keys:
            actions += [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]
        self.do("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})

    def close(self):
        try:
            self.call("DELETE", self.session)
        finally:
            self.driver.terminate()
            self.driver.wait(timeout=10)


PAGE_STATE = """
const q = document.getElementById('question');
return {frame: document.getElementById('frame').textContent,
        status: document.getElementById('status').textContent,
        asking: !q.hidden, question: document.getElementById('question-text').textContent};
"""


def main():
    args = sys.argv[1:]
    screenshot = "/tmp/tatami-export.png"
    if "--screenshot" in args:
        i = args.index("--screenshot")
        screenshot = args[i + 1]
        del args[i:i + 2]
    binary = str(Path(args[0] if args else ROOT / ".build/debug/tatami").resolve())
    for tool in ("chromedriver",):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: install Debian's chromium and chromium-driver")
    lesson = Lesson(binary)
    work = Path(tempfile.mkdtemp(prefix="tatami-browser-"))
    page = work / "lesson.html"
    tatami(binary, "export", LESSON, "-o", str(page), "--size", SIZE, "--lang", "en")
    print(f"exported lesson {LESSON}: {page.stat().st_size} bytes")

    browser = Browser()
    try:
        browser.do("POST", "/url", {"url": page.as_uri()})
        view = {"step": 0, "language": "en", "symbols": lesson.starts_in_symbols}

        def expect(what, step=None):
            if step is not None:
                view["step"] = step
            state = browser.script(PAGE_STATE)
            want = lesson.frame(view["step"], view["language"], view["symbols"])
            label = f"{what}: step {view['step'] + 1}, {view['language']}, {'symbols' if view['symbols'] else 'numbers'}"
            check(not state["asking"] and state["frame"] == want, label,
                  f"--- page ---\n{state['frame']}\n--- tatami render ---\n{want}")
            return state

        def expect_question(what, prompt):
            state = browser.script(PAGE_STATE)
            check(state["asking"] and state["question"] == prompt, what, f"page shows {state['question']!r}")
            check(state["frame"] == lesson.frame(view["step"], view["language"], view["symbols"]),
                  what + ": the step before stays on screen until the answer")

        def next_phase_start():
            return min([s for s in lesson.phase_starts if s > view["step"]] or [lesson.steps - 1])

        expect("opens at the first step")
        # Space plays from the first step, and playing stops before the first question to ask it.
        browser.press(" ")
        deadline = time.time() + 10
        while not browser.script(PAGE_STATE)["asking"] and time.time() < deadline:
            time.sleep(0.2)
        view["step"] = lesson.phase_starts[2] + 1
        expect_question("space plays up to the first question and asks it", lesson.questions[0])
        # A fresh page again for the keys, with no question answered yet.
        browser.do("POST", "/url", {"url": page.as_uri()})
        expect("a page loaded again starts over", 0)
        for _ in range(3):
            browser.press(RIGHT)
            expect("→", view["step"] + 1)
        # The lesson's first question comes before the third step of `slide` (the third phase).
        asked = lesson.phase_starts[2] + 2
        check(view["step"] + 1 == asked, "the fourth → reaches the step with the first question")
        browser.press(RIGHT)
        expect_question("→ onto a question asks it first", lesson.questions[0])
        # The lesson's answer is four cells of x_pad: a wrong set gets the step's arithmetic as a
        # hint and the box stays; the right set (in another order) is accepted.
        browser.press(*"x_pad[0,0,0,0]", ENTER)
        hint = browser.script("return document.getElementById('question-hint').textContent")
        check(browser.script(PAGE_STATE)["asking"], "a wrong answer keeps the question open")
        check("2 tries left" in hint and "Hint:" in hint, "a wrong answer gets the tries left and a hint", hint)
        browser.press(*"x_pad[0,0,1,3] x_pad[0,0,0,2] x_pad[0,0,0,3] x_pad[0,0,1,2]", ENTER)
        state = expect("Enter after the right answer shows the step", asked)
        check("✓ Right." in state["status"], "the right answer is said back, marked right", state["status"])
        browser.script("document.getElementById('player').scrollIntoView()")
        shot = browser.do("GET", "/screenshot")
        Path(screenshot).write_bytes(base64.b64decode(shot))
        print(f"screenshot: {screenshot}")
        browser.press(LEFT)
        expect("←", view["step"] - 1)
        browser.press(RIGHT)
        expect("→ over an answered question does not ask again", view["step"] + 1)
        target = next_phase_start()
        browser.press("]")
        expect_question("] onto a phase that asks a question asks it first", lesson.questions[1])
        browser.press(ENTER)
        expect("] then Enter without an answer: the next phase's first step", target)
        target = next_phase_start()
        browser.press("]")
        expect("] again", target)
        browser.press("[")
        expect("[ from a phase's start goes to the previous phase's start",
               max(s for s in lesson.phase_starts if s < view["step"]))
        browser.press("L")
        view["language"] = "ja"
        expect("L shows Japanese")
        browser.press("v")
        view["symbols"] = not view["symbols"]
        expect("v switches between numbers and symbols")
        browser.press(RIGHT)
        expect("→ in Japanese in the other view", view["step"] + 1)
        browser.press("L")
        view["language"] = "en"
        expect("L back to English")
        browser.script("const s = document.getElementById('scrubber');"
                       "s.value = arguments[0]; s.dispatchEvent(new Event('input'));", lesson.steps - 5)
        expect("the slider goes to the step it is set to", lesson.steps - 6)
        browser.press(END)
        expect("End", lesson.steps - 1)
        browser.press(HOME, "v")
        view["symbols"] = not view["symbols"]
        expect("Home, then v back to the lesson's view", 0)

        # A narration longer than its room (lesson 09 at this size) pages with PgDn and PgUp.
        paged = work / "paged.html"
        tatami(binary, "export", "09", "-o", str(paged), "--size", SIZE, "--lang", "en")
        # Every step's frame, in order; a question's own frame (`── question before step …`) aside.
        parts = re.split(r"^(── (?:question before )?step \d+/\d+ · .+)$\n",
                         tatami(binary, "render", "09", "--all", "--color", "never", "--size", SIZE, "--lang", "en"),
                         flags=re.M)[1:]
        frames = [frame for title, frame in zip(parts[::2], parts[1::2]) if title.startswith("── step")]
        long = next(i for i, f in enumerate(frames) if "PgDn" in f)
        browser.do("POST", "/url", {"url": paged.as_uri()})
        browser.script("const s = document.getElementById('scrubber');"
                       "s.value = arguments[0]; s.dispatchEvent(new Event('input'));", long + 1)
        if browser.script(PAGE_STATE)["asking"]:
            browser.press(ENTER)  # the step's question first: its answer makes the narration long
        first = browser.script(PAGE_STATE)["frame"]
        check(first == frames[long].rstrip("\n"), f"lesson 09 step {long + 1}: the first page of its narration",
              f"--- page ---\n{first}\n--- tatami render ---\n{frames[long]}")
        # PgDn pages on until the last page, which says there is nothing below; PgUp as many
        # times comes back to the first.
        pages = [first]
        while "PgDn" in pages[-1] and len(pages) < 10:
            browser.press("\ue00f")
            pages.append(browser.script(PAGE_STATE)["frame"])
        last = pages[-1]
        check(len(pages) > 1 and len(set(pages)) == len(pages) and "PgUp" in last and "PgDn" not in last,
              "PgDn shows the rest of the narration", last)
        for _ in pages[1:]:
            browser.press("\ue00e")
        check(browser.script(PAGE_STATE)["frame"] == first, "PgUp goes back to the first page")

        # Any window size: the whole player fits the window, and grows with it.
        sizes = []
        for width, height in ((480, 360), (1600, 1000)):
            browser.do("POST", "/window/rect", {"width": width, "height": height})
            time.sleep(0.3)
            fit = browser.script("""
                const box = document.getElementById('player').getBoundingClientRect();
                return {right: box.right, bottom: box.bottom, width: innerWidth, height: innerHeight,
                        font: parseFloat(getComputedStyle(document.getElementById('frame')).fontSize)};""")
            sizes.append(fit["font"])
            check(fit["right"] <= fit["width"] + 1 and fit["bottom"] <= fit["height"] + 1,
                  f"the player fits a {width}×{height} window", json.dumps(fit))
        check(sizes[1] > sizes[0] * 2, "the frame grows with the window", str(sizes))

        # No request: nothing fetched, and the page's policy refuses any attempt.
        resources = browser.script("return performance.getEntriesByType('resource').map(e => e.name)")
        check(resources == [], "the page fetched nothing", str(resources))
        policy = browser.script(
            "return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]')?.content ?? ''")
        check("default-src 'none'" in policy, "the page's policy is default-src 'none'", policy)
        blocked = browser.do("POST", "/execute/async", {"args": [], "script": """
            const done = arguments[arguments.length - 1];
            document.addEventListener('securitypolicyviolation', e => done('blocked ' + e.effectiveDirective));
            const image = new Image();
            image.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
            setTimeout(() => done('not blocked'), 3000);"""})
        check(blocked.startswith("blocked"), "the policy is in force: an image the page tries to load is blocked", blocked)
    finally:
        browser.close()
        shutil.rmtree(work, ignore_errors=True)

    print(f"{checks - len(failures)} of {checks} browser checks passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

import Storyboard

/// The fixed parts of the exported page: its markup, its style and its script. Raw strings, so
/// that the script reads here exactly as the browser reads it.
enum HTMLPlayerPage {
    /// The policy forbids every request (scripts, styles, fonts, images, connections); only
    /// the page's own inline style and script run.
    static let contentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'"

    /// The page around `data`, the lesson as JSON (already safe inside a script element).
    static func html(title: String, language: String, style: String, data: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(language)">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="\(contentSecurityPolicy)">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="tatami export">
        <title>\(title)</title>
        <style>
        \(style)</style>
        </head>
        <body>
        <main id="player">
        <pre id="frame"></pre>
        <div id="status" aria-live="polite"><span id="status-left"></span><span id="status-right"></span></div>
        <input id="scrubber" type="range" min="1" max="1" value="1" aria-label="step">
        <p id="keys"></p>
        <div id="question" role="dialog" aria-labelledby="question-title" hidden>
        <p id="question-title"></p>
        <p id="question-text"></p>
        <input id="answer" type="text" autocomplete="off" spellcheck="false">
        <p id="question-hint"></p>
        </div>
        </main>
        <script type="application/json" id="lesson">\(data)</script>
        <script>
        \(script)</script>
        </body>
        </html>

        """
    }

    /// The page's own look, in the colours of `render --format html`; one class per look of a
    /// cell follows (`HTMLPlayer.lookStyles`).
    static let style = """
        html, body { margin: 0; height: 100%; background: \(Colour.page); color: \(Colour.text); }
        body { display: flex; justify-content: center; align-items: flex-start; overflow: hidden; }
        #player { position: relative; font-family: \(MarkupRenderer.fontFamily); font-size: 10px;
                  line-height: 1.25; padding: 0.5em 1ch; }
        #frame { margin: 0; font: inherit; white-space: pre; }
        .w1, .w2, .gap { display: inline-block; height: 1.25em; vertical-align: top; overflow: hidden; }
        .w1 { width: 1ch; } .w2 { width: 2ch; text-align: center; }
        #status { display: flex; justify-content: space-between; white-space: pre; overflow: hidden;
                  border-top: 1px solid #444; margin-top: 0.25em; padding-top: 0.25em; }
        #status-left { overflow: hidden; text-overflow: ellipsis; }
        #status .state { color: \(Colour.yellow.hex); font-weight: bold; }
        #scrubber { display: block; width: 100%; height: 1.25em; margin: 0.25em 0; accent-color: \(Colour.cyan.hex); }
        #keys { margin: 0; color: #9d9d9d; }
        /* As wide as the frame, never wider: the frame alone sets the player's width. */
        #status, #keys { width: 0; min-width: 100%; }
        #question { position: absolute; left: 10%; right: 10%; top: 20%; padding: 0.5em 2ch;
                    background: \(Colour.page); border: 1px solid \(Colour.yellow.hex); }
        #question[hidden] { display: none; }
        #question-title { color: \(Colour.yellow.hex); font-weight: bold; }
        #question-text { color: \(Colour.cyan.hex); white-space: pre-wrap; }
        #answer { width: 100%; box-sizing: border-box; font: inherit; background: #2d2d2d; color: inherit;
                  border: 1px solid #666; padding: 0.2em 0.5ch; }

        """

    /// The player: keys, scrubber, questions and scaling. It reads the frames as rows of
    /// `FrameTable` and draws nothing else.
    static let script = #"""
        "use strict";
        // The lesson as tatami wrote it: frames as row numbers, rows as text and runs of looks.
        const data = JSON.parse(document.getElementById("lesson").textContent);
        const byId = (id) => document.getElementById(id);
        const player = byId("player"), frame = byId("frame"), scrubber = byId("scrubber");
        const wide = new Set(Array.from(data.wide));
        const questions = new Map(data.questions.map((q) => [q.step, q]));
        const last = data.steps - 1;

        const state = {
          step: 0,
          page: 0,               // the page of a narration longer than its room
          language: data.start.language,
          symbols: data.start.symbols,
          playing: false,
          speed: data.start.speed,
          timer: null,
          asking: null,          // the question shown, before its step
          tries: 0,              // wrong answers to it so far
          answered: new Set(),   // steps whose question was asked: passing again does not ask
          notice: "",            // what the last key did not do, or the answer just typed
        };

        const words = () => data.words[state.language];
        const inLanguage = (texts) => texts[state.language] ?? texts.en;

        function element(name, className, text) {
          const e = document.createElement(name);
          if (className) e.className = className;
          if (text !== undefined) e.textContent = text;
          return e;
        }

        function appendText(parent, text) {
          const lastChild = parent.lastChild;
          if (lastChild && lastChild.nodeType === Node.TEXT_NODE) lastChild.data += text;
          else parent.appendChild(document.createTextNode(text));
        }

        // One row of a frame into `into`: its text in runs of looks. A character other than
        // ASCII sits in a box one or two columns wide, so that a font whose box drawing or
        // Japanese is not exactly that wide cannot push the rest of the row off the grid.
        function drawRow(number, into) {
          const [text, runs] = data.rows[number];
          const looks = [];
          for (let i = 0; i < runs.length; i += 2) {
            for (let n = 0; n < runs[i + 1]; n++) looks.push(runs[i]);
          }
          let column = 0, holder = into, holderLook = 0;
          for (const ch of text.match(/.\p{M}*/gsu) || []) {
            const look = looks[column] || 0;
            if (look !== holderLook) {
              holderLook = look;
              holder = look === 0 ? into : into.appendChild(element("span", "k" + look));
            }
            const width = wide.has(ch) ? 2 : 1;
            if (ch.length === 1 && ch < "\u0080") appendText(holder, ch);
            else holder.appendChild(element("span", "w" + width, ch));
            column += width;
          }
          // Coloured cells after the last character (the end of a highlighted line) hold no text.
          while (column < looks.length) {
            let end = column;
            while (end < looks.length && looks[end] === looks[column]) end++;
            const gap = into.appendChild(element("span", "gap k" + looks[column]));
            gap.style.width = (end - column) + "ch";
            column = end;
          }
        }

        // The step's frames: one, or one per page of its narration.
        const pages = () => data.frames[state.language][state.symbols ? "symbols" : "numbers"][state.step];

        function drawFrame() {
          state.page = Math.min(state.page, pages().length - 1);
          const rows = pages()[state.page];
          frame.replaceChildren();
          rows.forEach((number, i) => {
            if (i > 0) appendText(frame, "\n");
            drawRow(number, frame);
          });
        }

        // As the terminal player's status line: state, speed, step, phase (or a notice); view
        // and language at the right.
        function drawStatus() {
          const w = words();
          const phase = data.phases.filter((p) => p.first <= state.step).pop();
          const left = byId("status-left");
          left.replaceChildren(element("span", "state", state.playing ? w.playing : w.paused));
          appendText(left, "  " + state.speed + " " + w.stepsPerSecond + "  ");
          left.appendChild(element("b", "", w.step + " " + (state.step + 1) + "/" + data.steps));
          appendText(left, "  " + (state.notice || (phase ? inLanguage(phase.title) : "")));
          byId("status-right").textContent =
            "  " + (state.symbols ? w.symbols : w.numbers) + " · " + w.languageName;
          byId("keys").textContent = w.keys.map(([key, meaning]) => key + " " + meaning).join(" · ");
          scrubber.value = state.step + 1;
          scrubber.disabled = state.asking !== null;
        }

        function show() {
          // The keys wrap differently in another language: fit the window again after drawing.
          const relanguaged = document.documentElement.lang !== state.language;
          document.documentElement.lang = state.language;
          document.title = inLanguage(data.title);
          drawFrame();
          drawStatus();
          if (relanguaged) fit();
          clearTimeout(state.timer);
          if (state.playing) state.timer = setTimeout(tick, 1000 / state.speed);
        }

        // A new step shows its narration from the top.
        function setStep(step) {
          if (step !== state.step) state.page = 0;
          state.step = step;
        }

        // Moving forward onto a step that asks a question stops there and asks it first.
        function moveForward(target) {
          const q = questions.get(target);
          if (q && !state.answered.has(target)) {
            state.playing = false;
            ask(q);
          } else {
            setStep(target);
          }
        }

        function ask(q) {
          state.asking = q;
          state.tries = 0;
          byId("question-title").textContent = words().questionTitle;
          byId("question-text").textContent = inLanguage(q.text);
          byId("question-hint").textContent = q.expected ? words().questionKeys : words().typeAnswer;
          const answer = byId("answer");
          answer.value = "";
          byId("question").hidden = false;
          answer.focus();
        }

        // Grades a typed answer against the lesson's key as the terminal player does: true or
        // false, or null where the text is not an answer of the key's kind (not a try).
        function verdict(key, typed) {
          const text = typed.trim();
          if (key.kind === "number") {
            const value = Number(text.replace("−", "-"));
            if (text === "" || !Number.isFinite(value)) return null;
            if (Math.abs(value - key.number) <= 1e-9 * Math.max(1, Math.abs(key.number))) return true;
            // Equal when rounded to the decimals typed: 0.33 for 0.333…, never 64 for 64.4.
            const dot = text.indexOf(".");
            if (dot < 0 || /e/i.test(text)) return false;
            const scale = Math.pow(10, text.length - dot - 1);
            return Math.abs(value - Math.round(key.number * scale) / scale) <= 0.5 / scale * 1e-6;
          }
          if (key.kind === "shape") {
            const parts = text.replace(/^\(|\)$/g, "").split(/[\s,x×]+/).filter((p) => p !== "");
            if (parts.length === 0 || !parts.every((p) => /^\d+$/.test(p))) return null;
            return parts.join(",") === key.shape.join(",");
          }
          if (key.kind === "cells") {
            const found = text.replace(/^cells/i, "").match(/[A-Za-z_][A-Za-z0-9_]*\s*\[[-\d,\s]+\]/g);
            if (!found) return null;
            const tidy = (c) => c.replace(/\s+/g, "");
            const typedCells = new Set(found.map(tidy)), wanted = new Set(key.cells.map(tidy));
            return typedCells.size === wanted.size && [...wanted].every((c) => typedCells.has(c));
          }
          if (key.kind === "choice") {
            const list = inLanguage(key.choices) || [];
            if (/^\d+$/.test(text)) {
              const n = Number(text);
              return n >= 1 && n <= list.length ? n === key.choice : null;
            }
            const i = list.findIndex((c) => c.toLowerCase() === text.toLowerCase());
            return i < 0 ? null : i + 1 === key.choice;
          }
          return null;
        }

        // Enter: a question without a key shows its step at once; one with a key is checked,
        // gets the step's arithmetic as a hint after a wrong try, and its answer after three.
        function answerTyped() {
          const q = state.asking, typed = byId("answer").value.trim(), w = words();
          if (!q.expected || typed === "") return close(typed ? w.yourAnswer.replace("%s", typed) : w.noAnswer);
          const right = verdict(q.expected, typed);
          if (right === null) { byId("question-hint").textContent = w.unreadable; return; }
          // The verdict first, so that a long answer cut to the status line's room keeps it.
          if (right) return close("✓ " + w.right + " " + w.yourAnswer.replace("%s", typed));
          state.tries += 1;
          if (state.tries >= 3) return close("✗ " + w.shown.replace("%s", inLanguage(q.expected.text)) + " " + w.yourAnswer.replace("%s", typed));
          const hint = q.hint ? " " + w.hintLabel + inLanguage(q.hint) : "";
          byId("question-hint").textContent = w.wrong[3 - state.tries - 1] + hint;
          byId("answer").select();
        }

        // Closes the box and shows the question's step, its answer in the narration.
        function close(notice) {
          const q = state.asking;
          state.asking = null;
          byId("question").hidden = true;
          byId("answer").blur();
          state.answered.add(q.step);
          setStep(q.step);
          state.notice = notice;
        }

        // Esc leaves the question for later: the step before stays, and the question is asked
        // again when its step is reached again.
        function later() {
          state.asking = null;
          byId("question").hidden = true;
          byId("answer").blur();
          state.notice = "";
        }

        function tick() {
          if (!state.playing || state.asking) return;
          if (state.step < last) moveForward(state.step + 1);
          if (state.step >= last) state.playing = false;
          show();
        }

        const phaseStarts = () => data.phases.map((p) => p.first);

        // The keys, as the terminal player reads them.
        const actions = {
          ArrowRight() {
            if (state.step >= last) state.notice = words().atLastStep;
            else moveForward(state.step + 1);
          },
          ArrowLeft() {
            if (state.step <= 0) state.notice = words().atFirstStep;
            else setStep(state.step - 1);
          },
          "]"() {
            const next = Math.min(last, ...phaseStarts().filter((s) => s > state.step));
            if (next <= state.step) state.notice = words().atLastStep;
            else moveForward(next);
          },
          "["() {
            if (state.step <= 0) { state.notice = words().atFirstStep; return; }
            setStep(Math.max(0, ...phaseStarts().filter((s) => s < state.step)));
          },
          " "() {
            if (state.playing) { state.playing = false; return; }
            if (last < 1) return;
            if (state.step >= last) setStep(0);
            state.playing = true;
          },
          "+"() { state.speed = data.speeds.find((s) => s > state.speed) ?? state.speed; },
          "-"() { state.speed = [...data.speeds].reverse().find((s) => s < state.speed) ?? state.speed; },
          Home() {
            if (state.step <= 0) state.notice = words().atFirstStep;
            else setStep(0);
          },
          End() {
            if (state.step >= last) state.notice = words().atLastStep;
            else moveForward(last);
          },
          PageDown() {
            const count = pages().length;
            if (state.page + 1 < count) state.page += 1;
            else state.notice = count === 1 ? words().narrationAllShown : words().narrationAtEnd;
          },
          PageUp() {
            if (state.page > 0) state.page -= 1;
            else state.notice = pages().length === 1 ? words().narrationAllShown : words().narrationAtTop;
          },
          // Another view or language is another text: its narration starts at the top.
          v() { state.symbols = !state.symbols; state.page = 0; },
          L() { state.language = state.language === "en" ? "ja" : "en"; state.page = 0; },
        };
        Object.assign(actions, { l: actions.ArrowRight, h: actions.ArrowLeft, "=": actions["+"], _: actions["-"] });

        document.addEventListener("keydown", (event) => {
          if (event.ctrlKey || event.metaKey || event.altKey) return;
          if (state.asking) {
            // Typing goes into the answer; Enter checks it, Tab shows the answer, Esc leaves
            // the question for later.
            if (event.key !== "Enter" && event.key !== "Escape" && event.key !== "Tab") return;
            event.preventDefault();
            const q = state.asking;
            if (event.key === "Enter") answerTyped();
            else if (event.key === "Tab") close(q.expected ? words().shown.replace("%s", inLanguage(q.expected.text)) : words().noAnswer);
            else if (q.expected) later();
            else close(words().noAnswer);
            show();
            return;
          }
          const action = actions[event.key];
          if (!action) return;
          event.preventDefault();
          state.notice = "";
          action();
          show();
        });

        scrubber.addEventListener("input", () => {
          const target = Number(scrubber.value) - 1;
          state.notice = "";
          if (target > state.step) moveForward(target);
          else setStep(target);
          show();
        });

        // The whole player scales with the window: measured at 10px, then set to fit, and
        // measured again, since a border or the slider does not scale with the text.
        function fit() {
          let size = 10;
          for (let i = 0; i < 3; i++) {
            player.style.fontSize = size + "px";
            const box = player.getBoundingClientRect();
            const scale = Math.min(window.innerWidth / box.width, window.innerHeight / box.height);
            if (scale >= 1 && i > 0) break;
            size = Math.max(2, Math.floor(size * scale * 100) / 100);
          }
          player.style.fontSize = size + "px";
        }

        scrubber.max = data.steps;
        window.addEventListener("resize", fit);
        show();
        fit();

        """#
}

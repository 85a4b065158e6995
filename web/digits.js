// The digits under a number are a listbox: the selected one is the digit the whole answer
// describes (top 3, probabilities, eye, verdict, heat map, sweep, "Not right?"). Python holds the
// selection and answers from the batch that already read every digit; this module only turns a
// click, a tap or a key into the index asked for. Tab reaches the list (one stop), then the arrow
// keys, Home and End move the selection; 0-9 and X still teach, now the selected digit.
const $ = (id) => document.getElementById(id);
const root = document.documentElement;

export function setupDigits({ call, show, isReady }) {
  const ol = $("number-digits");
  const items = () => [...ol.children];
  let asked = 0;

  async function select(index, since, focus) {
    if (!isReady() || ol.getAttribute("role") !== "listbox") return;
    const run = ++asked;
    const r = await call("select", { index });
    if (run !== asked) return;              // a later key press is on its way: show that one
    await show(r);
    if (r.error) return;
    // the answer is painted: how long since the click or key (build.py bench reads these)
    root.dataset.selectMs = (performance.now() - since).toFixed(2);
    root.dataset.selections = String(Number(root.dataset.selections || 0) + 1);
    if (focus) items()[index]?.focus();
  }

  ol.addEventListener("click", (e) => {
    const li = e.target.closest("li");
    if (li) select(items().indexOf(li), e.timeStamp, false);
  });
  ol.addEventListener("keydown", (e) => {
    const n = items().length, now = items().indexOf(ol.querySelector("[aria-selected='true']"));
    if (ol.getAttribute("role") !== "listbox" || e.ctrlKey || e.metaKey || e.altKey) return;
    const to = { ArrowLeft: now - 1, ArrowUp: now - 1, ArrowRight: now + 1, ArrowDown: now + 1, Home: 0, End: n - 1 }[e.key];
    if (to === undefined) return;           // 0-9, X, Delete…: the page's own keys
    e.preventDefault();
    e.stopPropagation();                    // the arrows move the drawing everywhere else
    if (to >= 0 && to < n && to !== now) select(to, e.timeStamp, true);
  });
}

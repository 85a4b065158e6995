// Teaching the page: a wrong answer is fixed in one action. The drawing is stored as a sample
// (the Collect panel's store), the personal heads are fitted at once on every stored sample, in
// Python (digitpad.teach), and the drawing is read again. Keys: 0-9 teach a digit, X "not a digit".
// The heads are refitted from the samples when the page starts, so a reload keeps what was taught.
const $ = (id) => document.getElementById(id);
const root = document.documentElement;
const SETTING = "digitpad.personal";

// Why a start fits the heads again instead of putting the kept ones in force (digitpad.teach.restore)
const REFIT = {
  nothing: "nothing was kept from the last visit",
  changed: "the samples or the page's networks changed since they were kept",
  damaged: "what was kept was damaged",
};

export function setupTeach({ call, store, apply, isReady, isEmpty, note }) {
  let loading = false;
  let kept = false, fitting = false;   // kept: the heads in force are in storage for the next visit
  let refit = null;              // why this start fitted again, said until the next teach
  let shown = null;
  const remember = (on) => { try { localStorage.setItem(SETTING, on ? "on" : "off"); } catch { /* storage off */ } };

  function show(p) {
    shown = p;
    $("personal").checked = !!p.on;
    root.dataset.personal = p.on ? "on" : "off";
    root.dataset.personalSamples = String(p.samples || 0);
    const read = (h, name) => (h && h.read ? `${name} ${h.personal} of ${h.read} (shipped ${h.shipped})` : null);
    const held = [read(p.digits, "digits"), read(p.digit_or_not, "digit or not")].filter(Boolean).join("; ");
    $("personal-stats").textContent = !p.samples ? "Nothing taught yet." : `Learned from ${p.samples} samples` +
      (p.used < p.samples ? ` (${p.used} of them: at most 200 per label)` : "") +
      (held ? `. Read right by heads fitted without each: ${held}.` : p.digits ? ". Teach one more to see how well it reads them held out." : ".") +
      (p.samples && refit ? ` Fitted again at this visit: ${refit}.` : "") +
      (p.samples && p.on && kept ? " Kept for your next visit." : "");
    if (p.fit_ms !== undefined) root.dataset.fitMs = String(p.fit_ms);
  }

  async function learn(why = null) {
    let r;
    refit = why;
    fitting = true;              // a "kept" now is an earlier fit's: this one's answer says its own
    do r = await call("personal_fit", { on: true }); while (!r.error && r.more);   // unseen samples, a chunk a message
    fitting = false;
    if (r.error) { note(`${r.error.replace(/\.$/, "")}. The page keeps the shipped answers.`); return false; }
    kept = !!r.kept;             // written before the answer; if storage was held up, "kept" follows
    if (r.kept_wait_ms !== undefined) root.dataset.keptWaitMs = r.kept_wait_ms.toFixed(1);   // build.py bench
    show(r.personal);
    remember(true);
    root.dataset.fits = String(Number(root.dataset.fits || 0) + 1);
    return true;
  }

  async function heldOut() {       // after the answer: it costs five more fits
    const r = await call("personal_set", { held_out: true });
    if (!r.error) show(r.personal);
  }

  async function reread() { if (!isEmpty()) apply(await call("predict")); }

  async function teach(label) {
    if (!isReady()) { note("Still loading: teach once the page is ready."); return; }
    if (isEmpty()) { note("Draw the symbol first, then say what it is."); return; }
    const r = await store(label);
    if (r.error) { note(r.error); return; }
    if (await learn()) {
      await reread();
      note(`Learned: that is ${label === "not-digit" ? "not a digit" : `a ${label}`}.`);
      heldOut();
    }
  }

  for (const label of [..."0123456789", "not-digit"]) {
    const b = $(`fix-${label === "not-digit" ? "not" : label}`);
    b.onclick = () => teach(label);
  }
  $("personal").onchange = async (e) => {
    if (e.target.checked) { if (await learn()) heldOut(); else e.target.checked = false; } else {
      show((await call("personal_set", { on: false })).personal);
      remember(false);
    }
    await reread();
  };
  $("personal-reset").onclick = async () => {
    show((await call("personal_set", { reset: true })).personal);
    remember(false);
    await reread();
    note("Forgot what it learned: the shipped answers are back, and your samples are kept.");
  };

  return {
    teach,
    async learned() { if (await learn()) { await reread(); heldOut(); } },   // a sample stored by the Collect panel
    key(e) {                      // 0-9 and X, outside text fields (app.js checks that)
      const k = e.key.toLowerCase();
      if (/^[0-9]$/.test(k)) { teach(k); return true; }
      if (k === "x") { teach("not-digit"); return true; }
      return false;
    },
    // What was taught before: the heads kept from the last visit when the samples and networks are
    // the same (in force at once), else fitted again. Until then every answer says it is the shipped one.
    async ready() {
      let on = false;
      try { on = localStorage.getItem(SETTING) === "on"; } catch { /* storage off */ }
      if (!on) return;
      loading = true;
      $("personal-stats").textContent = "Loading what you taught…";
      const r = await call("personal_restore");
      const restored = !r.error && r.restored;
      if (restored) { kept = true; show(r.personal); remember(true); }
      const why = REFIT[r.why];
      if (!restored && why) $("personal-stats").textContent = `Fitting what you taught again: ${why}…`;
      const ok = restored || (await learn(why || null));
      loading = false;
      if (ok) {
        root.dataset.headsMs = performance.now().toFixed(0);    // in force from here (build.py bench)
        await reread();
        if (!restored) heldOut();
      } else $("personal-stats").textContent = "What you taught could not be loaded: the answers are the shipped ones.";
    },
    pending: () => loading,       // the heads are on but not yet in force
    kept() {                      // the worker wrote a fit's heads (and their samples' features)
      kept ||= !fitting;
      root.dataset.kept = String(Number(root.dataset.kept || 0) + 1);
      if (shown) show(shown);
    },
  };
}

// The two panels a page that cannot go on shows: Python stopped after start-up (reload), or the
// page could not start at all (try again, past cached errors). Both keep the drawing on the pad.
const $ = (id) => document.getElementById(id);
const root = document.documentElement;
const note = (text) => { $("message").textContent = text; };

// Python failed for good after start-up: say so where the person looks, and offer a reload.
export function dead(message) {
  const el = $("fatal");
  el.hidden = false;
  el.replaceChildren(`${message} Recognition has stopped; your drawing is still on the pad and your stored samples are kept. `);
  const b = document.createElement("button");
  b.type = "button"; b.id = "reload"; b.textContent = "Reload the page";
  b.onclick = () => location.reload();
  el.appendChild(b);
  root.dataset.error = "python";
  note("Recognition has stopped: reload the page.");
}

export function fatal(message, phase) {
  if (root.dataset.error) return;
  const el = $("fatal");
  el.hidden = false;
  el.textContent = `digitpad could not start (${phase}): ${message.replace(/([^.!?])$/, "$1.")} Your drawing is kept on the pad. ` +
    "If you host this page, see the README's troubleshooting section. ";
  const b = document.createElement("button");
  b.type = "button"; b.id = "reload"; b.textContent = "Try again";
  b.onclick = () => dispatchEvent(new Event("digitpad:retry"));    // index.html: past cached errors, then reload
  el.appendChild(b);
  root.dataset.error = phase;
  note("Recognition is unavailable.");
}


// The live camera: loaded the first time "Camera" is pressed (with photo.js and the photo reader),
// then kept offline. The rear camera's video is shown in the photo view; whenever the Python
// worker is free it reads the newest frame (scaled in that worker: this thread only grabs it),
// so frames that come while it is busy are never queued, only dropped. Each answer's boxes and
// digits are drawn over the live picture. "Take" keeps the frame at full size as a photo.
//
// The camera stops when the person leaves the view, when the tab is hidden, and after IDLE_S
// seconds in which nothing was read: a camera left on drains a phone's battery and keeps its
// light on. Nothing leaves the page: the frames go to the workers, and no further.
const $ = (id) => document.getElementById(id);
const root = document.documentElement;
// px, the longest side a live frame is read at: digits a third of a 1280x720 frame's height or
// less read as well at 800 px (train/photo_make.py's camera frames, 40 of them: 39 at 800, 38 at
// 1280), and a frame is read about twice as often as at 1280
const LIVE_SIDE = 800;
const TAKE_SIDE = 1200;          // digitpad.photo.decode.MAX_SIDE: a taken frame is read as any photo
const IDLE_S = Number(new URLSearchParams(location.search).get("camera-idle")) || 60;   // ?camera-idle=: tests

// getUserMedia's errors, by name -> (state, what the person reads, whether trying again may help)
const PROBLEMS = {
  NotAllowedError: ["denied", "The camera is blocked for this page. Allow it in the browser's site settings " +
    "(the icon left of the address), or read a photo instead.", true],
  SecurityError: ["denied", "This browser does not let the page use a camera here. Read a photo instead.", false],
  NotFoundError: ["none", "No camera was found on this device. Read a photo instead.", false],
  OverconstrainedError: ["none", "No camera here can film the page. Read a photo instead.", false],
  NotReadableError: ["busy", "The camera is in use by another app or tab, or could not start. Close the other " +
    "app and try again, or read a photo instead.", true],
  AbortError: ["busy", "The camera could not start: it may be in use by another app. Try again, or read a photo instead.", true],
};

export function setupCamera({ call, photos, note }) {
  let stream = null, video = null, run = 0, lastRead = 0, started = 0;

  function tell(state, text, retry = false) {
    root.dataset.camera = state;
    $("camera-problem").hidden = !text;
    $("camera-problem-text").textContent = text || "";
    $("camera-retry").hidden = !retry;
  }

  function release() {
    run++;
    if (stream) for (const t of stream.getTracks()) t.stop();
    if (video) video.srcObject = null;
    stream = video = null;
  }

  // leaves the live view: back to the pad (`why`: the message, and the state the page shows)
  async function stop(state = "off", why = "") {
    if (!stream && root.dataset.camera !== "asking") return;
    const wasLive = !!video;
    release();
    tell(state, why, !!why);
    if (wasLive) await photos.stopLive();
  }

  async function start() {
    if (stream || root.dataset.camera === "asking") return;
    const my = ++run;
    tell("asking", "Allow the camera when the browser asks, or read a photo instead.");
    let s;
    try {
      s = await navigator.mediaDevices.getUserMedia({ audio: false, video: {
        facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } } });
    } catch (e) {
      if (my !== run) return;
      const [state, text, retry] = PROBLEMS[e && e.name] || ["failed", `The camera could not start (${e && e.name}: ` +
        `${e && e.message}). Read a photo instead.`, true];
      tell(state, text, retry);
      return;
    }
    if (my !== run) { for (const t of s.getTracks()) t.stop(); return; }   // stopped while the browser asked
    stream = s;
    video = document.createElement("video");
    video.muted = video.playsInline = true;
    video.srcObject = stream;
    try {
      await video.play();
      if (!video.videoWidth) await new Promise((ok) => video.addEventListener("resize", ok, { once: true }));
    } catch (e) {
      release();
      tell("failed", `The camera's picture could not be shown (${e.message}). Read a photo instead.`, true);
      return;
    }
    for (const t of stream.getVideoTracks()) {
      t.onended = () => stop("stopped", "The camera was disconnected. Try again, or read a photo instead.");
    }
    tell("live", "");
    await photos.live(video, { take, stop: () => stop(), off: () => { release(); tell("off", ""); } });
    started = lastRead = performance.now();
    root.dataset.cameraFrames = "0";
    note("Hold the numbers in the picture: boxes show what is read.");
    read(my);
  }

  // one frame at a time, the newest: Python reads it while the video plays on
  async function read(my) {
    while (my === run) {
      await nextFrame(video);
      if (my !== run) return;
      const t0 = performance.now();
      const frame = await grab(video);
      if (!frame) continue;               // no frame yet
      if (my !== run) { frame.close(); return; }
      const r = await call("photo", { frame, side: LIVE_SIDE, live: true }, [frame]);
      if (my !== run) return;            // stopped while it was read: its boxes are not shown
      const seen = photos.liveResult(r);
      const t1 = performance.now();
      // build.py bench: frame -> boxes, and where the time went (the clocks of r.timing are epoch ms)
      const grabbed = performance.timeOrigin + t0;
      performance.measure("camera frame", { start: t0, end: t1, detail: r.timing && {
        phases: r.view && r.view.photo && r.view.photo.phases, grab: r.timing.python_in - grabbed,
        python: r.timing.python_out - r.timing.python_in, networks: (r.timing.model_out - r.timing.model_in) || 0,
        prepared: r.timing.photo_in - r.timing.python_in } });
      root.dataset.cameraFrames = String(Number(root.dataset.cameraFrames) + 1);
      if (Number(root.dataset.cameraFrames) % 1000 === 0) performance.clearMeasures("camera frame");   // an hour is 30,000
      root.dataset.cameraFps = ((Number(root.dataset.cameraFrames) * 1000) / (t1 - started)).toFixed(2);
      if (seen) lastRead = t1;
      else if (t1 - lastRead > IDLE_S * 1000) {
        await stop("stopped", `The camera stopped: nothing was read for ${IDLE_S} seconds. Start it again, or read a photo instead.`);
      }
    }
  }

  // "Take": this frame at the camera's full size, read as a photo (select, teach, crop, copy, CSV)
  async function take() {
    if (!video) return;
    let shown;
    try { shown = await createImageBitmap(video); } catch (e) { note(`The picture could not be kept (${e.message}).`); return; }
    release();
    tell("taken", "");
    await photos.openFrame(shown, TAKE_SIDE);
  }

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      stop("stopped", "The camera stopped while the page was hidden. Start it again, or read a photo instead.");
    }
  });
  $("camera-retry").onclick = start;
  return { start, stop };
}

// the frame shown now, as the camera gave it (a VideoFrame: the worker reads its luma plane as it
// is), or as an ImageBitmap where the browser has no VideoFrame; null when there is none yet
async function grab(video) {
  try { if (self.VideoFrame) return new VideoFrame(video); } catch { /* no frame yet, or not from this video */ }
  try { return await createImageBitmap(video); } catch { return null; }
}

// the next frame of the video (requestVideoFrameCallback where the browser has it: no frame is read twice)
function nextFrame(video) {
  return new Promise((ok) => (video.requestVideoFrameCallback ? video.requestVideoFrameCallback(() => ok())
    : requestAnimationFrame(() => ok())));
}

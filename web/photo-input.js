// What the Python worker hands Python for a photo: a file's bytes, or a camera frame's pixels,
// scaled here (the page's thread only grabs the frame), and the picture the page shows.

// payload: { file, width } (a photo chosen: `width` is the shown picture's), or { frame, side } (a
// VideoFrame or ImageBitmap of the camera's video, read at `side` px, its longest side), plus the
// action's own fields (crop, live). unpack: fetches the photo reader the first time. -> { payload, shown }
export async function photoInput(payload, unpack) {
  const { file, width, frame, side, ...rest } = payload;
  let shown = null;
  // the picture the page shows, decoded and scaled here: on the main thread, scaling a 12 MP
  // decode to the canvas's width was a 50-115 ms task (the first photo of a visit)
  if (file && width && self.createImageBitmap) {
    shown = createImageBitmap(file, { resizeWidth: width, resizeQuality: "medium" }).catch(() => null);
  }
  try {
    await unpack();
  } catch (e) {
    if (frame) frame.close();
    throw e;
  }
  if (file) return { payload: { ...rest, data: new Uint8Array(await file.arrayBuffer()) }, shown };
  if (frame) return { payload: { ...rest, ...(await framePixels(frame, side)) }, shown };
  return { payload: rest, shown };
}

// A frame of the video as the camera gave it (a VideoFrame in YUV): its luma plane is the grey
// picture Python reads, copied as it is; Python scales it. Anything else a canvas draws (an
// ImageBitmap: "Take", browsers without VideoFrame) is scaled here and read back as RGBA.
async function framePixels(frame, side) {
  try {
    if (self.VideoFrame && frame instanceof VideoFrame && /^(I420A?|I422|I444|NV12)$/.test(frame.format)) {
      const { width: w, height: h } = frame.visibleRect;
      const all = new Uint8Array(frame.allocationSize());
      const [{ offset, stride }] = await frame.copyTo(all);
      const grey = new Uint8Array(w * h);
      for (let y = 0; y < h; y++) grey.set(all.subarray(offset + y * stride, offset + y * stride + w), y * w);
      return { pixels: grey, width: w, height: h, mode: "L", side };
    }
    if (typeof OffscreenCanvas === "undefined") {
      throw new Error("This browser cannot read the camera's picture here (it has no OffscreenCanvas): read a photo instead.");
    }
    const fw = frame.displayWidth || frame.width, fh = frame.displayHeight || frame.height;
    const k = Math.min(1, side / Math.max(fw, fh));
    const w = Math.max(1, Math.round(fw * k)), h = Math.max(1, Math.round(fh * k));
    const ctx = new OffscreenCanvas(w, h).getContext("2d", { willReadFrequently: true });
    ctx.drawImage(frame, 0, 0, w, h);
    const id = ctx.getImageData(0, 0, w, h);
    return { pixels: new Uint8Array(id.data.buffer), width: w, height: h, mode: "RGBA", side };
  } finally {
    frame.close();
  }
}

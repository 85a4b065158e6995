"""Pixels to pen strokes: the page's own tracer (digitpad.photo.trace), which also turns a photo's
symbol into the strokes of a taught sample. Training traces MNIST digits and font glyphs with it."""
from digitpad.photo.trace import distance, follow, hollow, image_to_strokes, thin  # noqa: F401

"""Reading a photo or a scan of handwritten numbers: decode, clean, find the symbols, read them.

This package travels apart from the rest of digitpad: the page fetches it, with the Pillow file
plugins and the parts of the standard library that only photos need, the first time a person
opens a photo (buildtools/pyodide_site.py, PHOTO), so that a first visit does not carry it.

    decode.py    bytes -> a grey image no larger than the pipeline needs (shrunk while decoded)
    ink.py       grey -> ink mask: paper light flattened, thresholded, polarity, deskew, rules
    symbols.py   ink mask -> connected symbols, printed boxes taken out, grouped into lines
    framing.py   a symbol's ink -> the 28x28 image the networks read, framed as MNIST
    reader.py    the batch for the networks, and the view of every line read
"""

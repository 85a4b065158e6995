"""python -m bench: digitpad against a plain-JS reference page, in headless Chromium."""

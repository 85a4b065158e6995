"""Inside the network: every layer's output for the symbol being read (issue 29).

The page fetches this package, and the layer table the build took from the graph, the first time
its "Inside the network" panel opens (none of it is on a first visit). The activations come from
the page's own graph, run again on the same 28x28 image with each layer's tensor as an extra
output; this package turns them into what the panel paints: tiles scaled per layer, their text
alternatives, the selected map or unit looked at closer, and receptive fields.
"""

"""The one exception the page shows to the person as it is.

Bad input (a broken stroke, a foreign samples file, an unknown action) raises a ``UserError``
subclass; the action is refused, the state stays as it was, and the message is displayed.
Anything else is a bug: it is not caught here, and the page reports it as a Python error.
"""


class UserError(ValueError):
    pass

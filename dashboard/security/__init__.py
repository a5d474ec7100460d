"""Access control of the Dash app: the rule table, who is asking, the guard, sign-in and sign-out, the pages it answers
with, and the response headers."""

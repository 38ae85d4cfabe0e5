"""Domain signals of the agreement, so apps above can react without this app importing them."""

from django.dispatch import Signal

# Sent inside the registering transaction, with `anmodning` and `by`: a new request from IMDi.
anmodning_registered = Signal()

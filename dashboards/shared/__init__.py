"""Parts both calendars and every app use: messages, page scripts, the legend, labels, the
week's geometry and the record as HTML. The clinician's and the manager's apps import from
here, never from each other."""

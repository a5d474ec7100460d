"""The page a notice's link opens (`/notices/ack/<token>`): what the escalation is about, and the button that
acknowledges it and stops its climb."""

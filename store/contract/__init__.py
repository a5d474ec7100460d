"""What every room agrees on: the event schema, reference data, Redis keys, Socket.IO rooms and events, the working-day
calendar, the wall's map shapes and the settings."""

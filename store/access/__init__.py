"""Who may do what: users, API tokens and the audit log in SQL, the bearer-token check, throttles kept in Redis, and the
admin command line."""

"""The security headers of every answer: the Content-Security-Policy (this site's own scripts, plus the hashes of
Dash's inline ones), no sniffing, framing or foreign referrers, and HSTS over HTTPS."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response, request

from dashboard.security.principals import security_state


def content_security_policy(script_hashes: Iterable[str], host: str) -> str:
    """The policy: only this site's own scripts (plus the hashes of Dash's inline scripts), styles, images,
    fonts and connections (its Socket.IO websocket included); no framing, plugins or foreign form targets."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        # Dash's renderer, dcc and plotly.js all apply inline styles: Chromium refuses them without this.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", f"ws://{host}", f"wss://{host}"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def security_headers(response: Response) -> Response:
    """After every request: the headers, unless the answer set its own."""
    state = security_state()
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(state.script_hashes(), request.host))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response

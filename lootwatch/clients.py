"""Who is on the other end of a request, for counting sign-in failures and refused API
keys per client."""

from django.conf import settings


def client_ip(request):
    """Return the client's IP address: the address the TLS proxy saw (the last entry of
    X-Forwarded-For, which the proxy appends and a client cannot forge) when Lootwatch runs
    behind one (BEHIND_TLS_PROXY), otherwise the connection's own address."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")


def client_str(username, ip_address, user_agent, path_info, request):
    """How django-axes names a client in its log lines: the address and the page, never
    the username typed (it may be a mistyped password, or a name that is not ours to log);
    editors see usernames in the admin's access attempts."""
    return f"{{ip_address: {ip_address!r}, path_info: {path_info!r}}}"

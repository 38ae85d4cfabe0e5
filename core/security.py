"""Content-Security-Policy header from settings.CSP_POLICY (no third-party package needed)."""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = "; ".join(f"{name} {' '.join(values)}" for name, values in settings.CSP_POLICY.items())
        self.name = ("Content-Security-Policy-Report-Only" if settings.CSP_REPORT_ONLY
                     else "Content-Security-Policy")

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(self.name, self.header)
        return response

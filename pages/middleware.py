"""Request middleware of the browser pages."""

from django.utils.cache import patch_vary_headers


class VaryOnHtmxMiddleware:
    """Let caches keep the full page and the htmx partial of one URL apart."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response

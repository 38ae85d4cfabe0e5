"""Page weight: the HTML plus every stylesheet and script it links to (the map is inline SVG)."""

import re

from django.conf import settings
from django.contrib.staticfiles import finders

ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="([^"]+)"')


def sidevekt(html):
    """{'html': bytes, 'assets': {path: bytes}, 'total': bytes} for a rendered page (uncompressed)."""
    if isinstance(html, str):
        html = html.encode()
    assets = {}
    for url in ASSET.findall(html.decode()):
        if not url.startswith(settings.STATIC_URL):
            continue
        path = finders.find(url[len(settings.STATIC_URL):])
        if path:
            with open(path, "rb") as f:
                assets[url] = len(f.read())
    return {"html": len(html), "assets": assets, "total": len(html) + sum(assets.values())}

"""`{% tallbuffer "name" key %}…{% endtallbuffer %}`: a rendered fragment cached under the figures
cache (core.tallcache). The view builds `key` with `tallcache.key(...)` or `innholdsnokkel(...)`,
so it already carries the figures version, language and day; the timeout is the cache's own."""

from django import template

from core import tallcache

register = template.Library()


class TallbufferNode(template.Node):
    def __init__(self, nodelist, name, key):
        self.nodelist, self.name, self.key = nodelist, name, key

    def render(self, context):
        key = f"fragment:{self.name.resolve(context)}:{self.key.resolve(context)}"
        return tallcache.get_or_compute(key, lambda: self.nodelist.render(context))


@register.tag
def tallbuffer(parser, token):
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError("{% tallbuffer \"navn\" nøkkel %} tar to argumenter.")
    nodelist = parser.parse(("endtallbuffer",))
    parser.delete_first_token()
    return TallbufferNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]))

"""Anatomy diagrams: an SVG drawing, made safe to put inside a page.

An uploaded SVG is parsed with defusedxml (no entity tricks, no DTD) and rebuilt from an
allow-list of drawing elements and attributes, so nothing else survives: no script, event
handler, link, embedded page, animation, style sheet or reference to another address. A file
that carries any of those is refused with what was found, so staff know to export it again;
editors' own markings (Inkscape's, Illustrator's) are dropped quietly. `style` attributes become
presentation attributes, as the site's content security policy allows no inline styles.
"""

import re
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
MAX_BYTES = 100_000

ELEMENTS = {
    "svg", "g", "defs", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan",
    "pattern", "linearGradient", "radialGradient", "stop", "clipPath", "mask", "marker", "symbol", "use",
}  # fmt: skip
# Presentation attributes: also what a `style` attribute's declarations may become.
PRESENTATION = {
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray",
    "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "opacity", "font-family",
    "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline", "letter-spacing", "stop-color",
    "stop-opacity", "clip-path", "clip-rule", "mask", "marker-start", "marker-mid", "marker-end", "vector-effect",
    "paint-order", "visibility", "display",
}  # fmt: skip
GEOMETRY = {
    "id", "class", "d", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "width",
    "height", "viewBox", "points", "transform", "dx", "dy", "offset", "patternUnits", "patternContentUnits",
    "patternTransform", "gradientUnits", "gradientTransform", "spreadMethod", "preserveAspectRatio", "markerWidth",
    "markerHeight", "markerUnits", "refX", "refY", "orient", "clipPathUnits", "maskUnits", "maskContentUnits",
    "pathLength", "textLength", "lengthAdjust",
}  # fmt: skip
# What is refused outright, by element: they run code, load or embed other content, or animate.
DANGEROUS = {"script", "foreignObject", "iframe", "object", "embed", "image", "a", "animate", "set", "animateMotion",
             "animateTransform", "handler", "listener", "audio", "video", "feImage"}  # fmt: skip
_URL = re.compile(r"url\(\s*([^)]*)\)", re.IGNORECASE)
_LOCAL_URL = re.compile(r"""['"]?#[\w.-]+['"]?""")


class DiagramRefused(ValueError):
    """The file cannot be used; the message says why, in words staff understand."""


def _local_name(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def _safe_value(name: str, value: str) -> bool:
    lowered = re.sub(r"\s+", "", value).lower()
    if "javascript:" in lowered or "data:" in lowered or "expression(" in lowered:
        return False
    return all(_LOCAL_URL.fullmatch(target.strip()) for target in _URL.findall(value))


def _attributes(element, found: set[str]) -> dict[str, str]:
    kept = {}
    declarations = [part.split(":", 1) for part in element.attrib.get("style", "").split(";") if ":" in part]
    for name, value in [*((n.strip(), v.strip()) for n, v in declarations), *element.attrib.items()]:
        namespace, local = _local_name(name)
        if local.lower().startswith("on"):
            found.add(f"an event handler ({local})")
        elif local == "href" and namespace in ("", XLINK):
            if not value.startswith("#"):
                found.add(f"a link to another address ({value[:60]})")
            else:
                kept["href"] = value
        elif namespace or (local not in PRESENTATION and local not in GEOMETRY):
            continue  # an editor's own attribute, or one a drawing does not need
        elif not _safe_value(local, value):
            found.add(f"a reference to another address ({local})")
        else:
            kept[local] = value
    return kept


def _rebuild(element, found: set[str]) -> ET.Element | None:
    namespace, local = _local_name(element.tag)
    if local == "style":
        found.add("styles in a <style> element (choose presentation attributes when exporting)")
        return None
    if local in DANGEROUS:
        found.add(f"a <{local}> element")
        return None
    if namespace != SVG or local not in ELEMENTS:
        return None  # metadata, titles (the site writes its own), editors' elements
    rebuilt = ET.Element(local, _attributes(element, found))
    in_text = local in ("text", "tspan")
    rebuilt.text = element.text if in_text else None
    for child in element:
        kept = _rebuild(child, found)
        tail = child.tail if in_text else None
        if kept is not None:
            kept.tail = tail
            rebuilt.append(kept)
        elif tail:  # the words after a dropped element stay in the text
            last = rebuilt[-1] if len(rebuilt) else None
            if last is not None:
                last.tail = (last.tail or "") + tail
            else:
                rebuilt.text = (rebuilt.text or "") + tail
    return rebuilt


def clean_svg(data: bytes | str) -> str:
    """The drawing, safe to include in a page; DiagramRefused when it cannot be."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_BYTES:
        raise DiagramRefused(f"The file is {len(raw) // 1000} KB; a diagram must be under {MAX_BYTES // 1000} KB.")
    try:
        root = fromstring(raw, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException, ValueError) as error:
        raise DiagramRefused("The file is not a drawing this site can read: save it as plain SVG.") from error
    if root.tag != f"{{{SVG}}}svg":
        raise DiagramRefused("The file is not an SVG drawing.")
    found: set[str] = set()
    rebuilt = _rebuild(root, found)
    if found:
        raise DiagramRefused(
            "The drawing has " + ", ".join(sorted(found)) + ", which a page may not run or load. "
            "Export it again as a plain drawing."
        )
    if "viewBox" not in rebuilt.attrib or not {"width", "height"} <= rebuilt.attrib.keys():
        raise DiagramRefused("The drawing needs a viewBox, a width and a height (they keep the page from jumping).")
    return ET.tostring(rebuilt, encoding="unicode", default_namespace=None).replace("<svg ", f'<svg xmlns="{SVG}" ', 1)

"""Checking a zone's optional boundary: a GeoJSON geometry (RFC 7946) in WGS 84 longitude/latitude.

``validate_geometry`` answers the normalised text or raises ``InvalidGeometry`` saying, in Chinese,
what is wrong and where (``coordinates[0][3]``). A Feature is accepted and its geometry kept.
"""

from __future__ import annotations

import json
import math

GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
                  "GeometryCollection")
MAX_CHARS = 500_000


class InvalidGeometry(ValueError):
    pass


def _position(value, where: str) -> None:
    if not isinstance(value, list) or not 2 <= len(value) <= 3:
        raise InvalidGeometry(f"{where}：坐标应为[经度, 纬度]")
    for n in value:
        if isinstance(n, bool) or not isinstance(n, int | float) or not math.isfinite(n):
            raise InvalidGeometry(f"{where}：坐标应为数字")
    lon, lat = value[0], value[1]
    if not -180 <= lon <= 180:
        raise InvalidGeometry(f"{where}：经度{lon}超出−180至180")
    if not -90 <= lat <= 90:
        raise InvalidGeometry(f"{where}：纬度{lat}超出−90至90")


def _positions(value, where: str, *, at_least: int) -> None:
    if not isinstance(value, list):
        raise InvalidGeometry(f"{where}：应为坐标数组")
    if len(value) < at_least:
        raise InvalidGeometry(f"{where}：至少需要{at_least}个坐标点")
    for i, p in enumerate(value):
        _position(p, f"{where}[{i}]")


def _ring(value, where: str) -> None:
    _positions(value, where, at_least=4)
    if value[0] != value[-1]:
        raise InvalidGeometry(f"{where}：多边形的环须闭合(首尾坐标相同)")


def _polygon(value, where: str) -> None:
    if not isinstance(value, list) or not value:
        raise InvalidGeometry(f"{where}：多边形应为至少一个环的数组")
    for i, ring in enumerate(value):
        _ring(ring, f"{where}[{i}]")


def _list_of(value, where: str, check) -> None:
    if not isinstance(value, list) or not value:
        raise InvalidGeometry(f"{where}：应为非空数组")
    for i, item in enumerate(value):
        check(item, f"{where}[{i}]")


def _geometry(obj, where: str = "") -> None:
    label = f"{where}：" if where else ""
    if not isinstance(obj, dict):
        raise InvalidGeometry(f"{label}几何对象应为JSON对象")
    kind = obj.get("type")
    if kind not in GEOMETRY_TYPES:
        raise InvalidGeometry(f"{label}type应为{'、'.join(GEOMETRY_TYPES)}之一，实际为{kind!r}")
    if kind == "GeometryCollection":
        _list_of(obj.get("geometries"), f"{where}geometries", _geometry)
        return
    if "coordinates" not in obj:
        raise InvalidGeometry(f"{label}缺少coordinates")
    coords, at = obj["coordinates"], f"{where}coordinates"
    if kind == "Point":
        _position(coords, at)
    elif kind == "MultiPoint":
        _positions(coords, at, at_least=1)
    elif kind == "LineString":
        _positions(coords, at, at_least=2)
    elif kind == "MultiLineString":
        _list_of(coords, at, lambda v, w: _positions(v, w, at_least=2))
    elif kind == "Polygon":
        _polygon(coords, at)
    else:  # MultiPolygon
        _list_of(coords, at, _polygon)


def validate_geometry(text: str) -> str:
    """The geometry as compact JSON text ("" when none was given)."""
    text = (text or "").strip()
    if not text:
        return ""
    if len(text) > MAX_CHARS:
        raise InvalidGeometry(f"GeoJSON过大（超过{MAX_CHARS}个字符），请简化边界后再提交")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidGeometry(f"不是有效的JSON：第{exc.lineno}行第{exc.colno}列附近有误") from None
    if isinstance(obj, dict) and obj.get("type") == "Feature":
        obj = obj.get("geometry")
        if obj is None:
            raise InvalidGeometry("Feature中没有geometry")
    elif isinstance(obj, dict) and obj.get("type") == "FeatureCollection":
        raise InvalidGeometry("请提供一个几何对象(如Polygon)，不要提供FeatureCollection")
    _geometry(obj)
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def bbox(text: str) -> tuple[float, float, float, float] | None:
    """(min lon, min lat, max lon, max lat) of a validated geometry, for showing where it lies."""
    if not text:
        return None
    points: list[list[float]] = []

    def walk(value):
        if isinstance(value, list) and value and all(isinstance(n, int | float) for n in value):
            points.append(value)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    obj = json.loads(text)
    stack = [obj]
    while stack:
        g = stack.pop()
        if g.get("type") == "GeometryCollection":
            stack.extend(g.get("geometries", []))
        else:
            walk(g.get("coordinates"))
    if not points:
        return None
    return (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points))

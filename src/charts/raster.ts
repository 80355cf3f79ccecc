/**
 * Chart SVG → PNG, for notebook front ends that will not show an SVG: Jupyter's classic
 * notebook hides `image/svg+xml` (and `text/markdown`) outputs of an untrusted notebook, and
 * every executed notebook a person opens is untrusted until they sign it. A PNG is shown
 * either way.
 *
 * ```
 * SVG text ─▶ resvg (Rust, prebuilt in @resvg/resvg-js) ─▶ RGBA at `zoom`× ─▶ PNG bytes
 *                fonts: the system's (Liberation Sans from fonts-liberation)
 * ```
 *
 * @resvg/resvg-js is a native addon: it is loaded on the first call, so importing esmlab never
 * loads it, and a platform without its prebuilt binary still renders SVG charts.
 *
 * The PNG is written here from resvg's pixels rather than taken from resvg (`asPng`): on the
 * white background every pixel is opaque, so the alpha channel is dropped, and the scanlines
 * are deflated at zlib's level 9 (PNG specification, W3C 2nd ed.: RGB, 8 bits, filter 0).
 * That halves the bytes (a 685 × 324 chart at 2×: 80 KB → 39 KB), which every executed
 * notebook stores base64-encoded. Cost: ≈ 60 ms to draw (mostly text layout) plus ≈ 100 ms
 * to deflate, on one core.
 */
import { createRequire } from "node:module";
import { deflateSync } from "node:zlib";
import { EsmlabError } from "../util/errors.js";
import { CHART_FONT } from "./text-width.js";

/** Options of {@link rasterizeSvg}. */
export interface RasterOptions {
  /**
   * Pixels per SVG pixel; default 2, so the image stays sharp on a high-density screen when
   * shown at the SVG's own size (the bundle metadata gives that size).
   */
  readonly zoom?: number;
}

/** A rasterised SVG: PNG bytes, and the SVG's own size that the image is meant to show at. */
export interface RasterImage {
  readonly png: Buffer;
  /** the SVG's width in CSS px (the image is `zoom` times as many pixels wide) */
  readonly width: number;
  /** the SVG's height in CSS px */
  readonly height: number;
}

type ResvgModule = typeof import("@resvg/resvg-js");

let resvg: ResvgModule | undefined;

/** The first family of {@link CHART_FONT}: text whose families are all missing falls back to it. */
const DEFAULT_FAMILY = CHART_FONT.split(",")[0]!.trim();

/**
 * Rasterise an SVG document to PNG with resvg, on a white background (a transparent chart's
 * black text would vanish on a dark notebook theme).
 * @param svg an SVG document, e.g. from {@link renderSvg}; it must have a width and height
 * @param options `zoom` (default 2)
 * @throws EsmlabError when @resvg/resvg-js cannot be loaded (no prebuilt binary for this
 *   platform), when zoom is not a positive finite number, or when resvg cannot parse the SVG
 * @example (await rasterizeSvg(await renderSvg(lagChart(run)))).width // 698 (the PNG is 1396 px wide)
 */
export async function rasterizeSvg(svg: string, options: RasterOptions = {}): Promise<RasterImage> {
  const zoom = options.zoom ?? 2;
  if (!Number.isFinite(zoom) || zoom <= 0) {
    throw new EsmlabError(`invalid zoom: ${zoom} (raster options): must be a positive number`);
  }
  const { Resvg } = loadResvg();
  try {
    const image = new Resvg(svg, {
      font: { loadSystemFonts: true, defaultFontFamily: DEFAULT_FAMILY },
      fitTo: { mode: "zoom", value: zoom },
      background: "white",
    });
    const rendered = image.render();
    const png =
      encodeOpaquePng(rendered.pixels, rendered.width, rendered.height) ?? rendered.asPng();
    return { png, width: image.width, height: image.height };
  } catch (err) {
    throw new EsmlabError(`cannot rasterise chart SVG: ${(err as Error).message}`, { cause: err });
  }
}

/** True when @resvg/resvg-js loads here (its prebuilt binary exists for this platform). */
export function canRasterize(): boolean {
  try {
    loadResvg();
    return true;
  } catch {
    return false;
  }
}

function loadResvg(): ResvgModule {
  if (resvg !== undefined) return resvg;
  try {
    // a CommonJS native addon: require() is the way Node loads it, from ESM as from tslab's cells
    resvg = createRequire(import.meta.url)("@resvg/resvg-js") as ResvgModule;
    return resvg;
  } catch (err) {
    throw new EsmlabError(
      `cannot load @resvg/resvg-js to rasterise charts (${(err as Error).message.split("\n")[0]}): ` +
        "reinstall the npm packages (npm ci) on a platform it ships a binary for",
      { cause: err },
    );
  }
}

/**
 * RGBA pixels as an RGB PNG (8 bits, no interlace, filter type 0 on every row, deflate level
 * 9); null when a pixel is not fully opaque, as RGB cannot hold it.
 */
function encodeOpaquePng(rgba: Uint8Array, width: number, height: number): Buffer | null {
  const stride = width * 3;
  const scanlines = Buffer.alloc(height * (stride + 1));
  for (let y = 0, i = 0; y < height; y++) {
    let o = y * (stride + 1) + 1; // the row's first byte is its filter type, 0
    for (let x = 0; x < width; x++, i += 4) {
      if (rgba[i + 3] !== 255) return null;
      scanlines[o++] = rgba[i]!;
      scanlines[o++] = rgba[i + 1]!;
      scanlines[o++] = rgba[i + 2]!;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, filter 0, no interlace
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(scanlines, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG chunk: length, type, data, CRC-32 of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** CRC-32 (ISO 3309, as PNG uses); zlib.crc32 is Node ≥ 22 only. */
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

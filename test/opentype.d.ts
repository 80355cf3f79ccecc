/**
 * The part of opentype.js that test/charts/render.test.ts uses. Its @types package is not a
 * dev dependency: it references the DOM lib, and a tslab kernel includes every package of every
 * `node_modules/@types` above the notebook — so each kernel started in this checkout parsed
 * lib.dom.d.ts (≈ 0.25 s) for nothing (docs/toolchain.md, "Where a kernel's time goes").
 */
declare module "opentype.js" {
  interface Font {
    getAdvanceWidth(text: string, fontSize: number, options?: { kerning?: boolean }): number;
  }
  const opentype: { parse(buffer: ArrayBuffer): Font };
  export default opentype;
}

/**
 * The report's Handlebars templates: `layout.hbs`, `style.css` and `partials/*.hbs`. A user
 * folder overrides any of those files by name; the rest come from esmlab's own
 * `templates/report/`. Each load gets its own Handlebars environment, so partials and helpers
 * never leak between reports.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import Handlebars from "handlebars";
import { EsmlabError } from "../util/errors.js";
import { PACKAGE_ROOT } from "../version.js";

/** esmlab's own template folder. */
export const DEFAULT_TEMPLATE_DIR = join(PACKAGE_ROOT, "templates", "report");

/** A loaded template set. */
export interface ReportTemplates {
  /** renders the whole page from the model */
  layout: Handlebars.TemplateDelegate;
  css: string;
}

/**
 * Loads and compiles the templates.
 *
 * @param userDir a folder whose files replace the defaults of the same name (optional)
 * @throws EsmlabError when a template cannot be read or does not compile, naming the file
 * @example const t = await loadTemplates("my-templates"); t.layout(model) // "<!DOCTYPE html>…"
 */
export async function loadTemplates(userDir?: string): Promise<ReportTemplates> {
  const hb = Handlebars.create();
  hb.registerHelper("is", (a: unknown, b: unknown) => a === b);
  const dirs = userDir === undefined ? [DEFAULT_TEMPLATE_DIR] : [DEFAULT_TEMPLATE_DIR, userDir];
  if (userDir !== undefined) {
    await readdir(userDir).catch((err: unknown) => {
      throw new EsmlabError(`cannot read template folder ${userDir}: ${(err as Error).message}`, {
        cause: err,
      });
    });
  }
  const partials = new Map<string, string>();
  for (const dir of dirs) {
    const names = await readdir(join(dir, "partials")).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith(".hbs"))) {
      partials.set(name.slice(0, -4), join(dir, "partials", name));
    }
  }
  for (const [name, path] of partials) hb.registerPartial(name, compile(hb, await read(path)));
  const pick = async (file: string) => {
    if (userDir !== undefined) {
      const own = await readFile(join(userDir, file), "utf8").catch(() => null);
      if (own !== null) return { text: own, file: join(userDir, file) };
    }
    return read(join(DEFAULT_TEMPLATE_DIR, file));
  };
  const layout = await pick("layout.hbs");
  const css = await pick("style.css");
  return { layout: compile(hb, layout), css: css.text };
}

function compile(
  hb: typeof Handlebars,
  { text, file }: { text: string; file: string },
): Handlebars.TemplateDelegate {
  try {
    // an indented partial call would otherwise indent every line of the partial's output,
    // code in <pre> included (https://handlebarsjs.com/api-reference/compilation.html:
    // "preventIndent … can lead to unexpected behavior when the partial writes pre-tags")
    const template = hb.compile(text, { preventIndent: true });
    // compile is lazy: force the parse now so a syntax error names its file
    hb.precompile(text);
    return template;
  } catch (err) {
    throw new EsmlabError(`invalid template ${file}: ${(err as Error).message.split("\n")[0]}`, {
      cause: err,
    });
  }
}

async function read(path: string): Promise<{ text: string; file: string }> {
  try {
    return { text: await readFile(path, "utf8"), file: path };
  } catch (err) {
    throw new EsmlabError(`cannot read template ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

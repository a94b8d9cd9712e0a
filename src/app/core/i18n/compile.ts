import type { IntlMessageFormat } from 'intl-messageformat';

/** A catalog as written: nested objects whose leaves are ICU MessageFormat strings. */
export interface RawCatalog {
  readonly [key: string]: string | RawCatalog;
}

/** A message with ICU arguments, formatted with its parameters. */
export type CompiledMessage = (params?: Record<string, unknown>) => string;
export interface CompiledCatalog {
  [key: string]: string | CompiledMessage | CompiledCatalog;
}

type Formatter = typeof IntlMessageFormat;

/**
 * Turns every message with an ICU argument into a function that formats it; a message without
 * braces stays a string. Each message is parsed on its first use, not when the language loads:
 * a screen uses a few dozen of several hundred.
 */
export function compileCatalog(
  raw: RawCatalog,
  language: string,
  Format: Formatter,
): CompiledCatalog {
  const out: CompiledCatalog = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') {
      out[key] = compileCatalog(value, language, Format);
    } else if (!value.includes('{')) {
      out[key] = value;
    } else {
      let format: IntlMessageFormat | undefined;
      out[key] = (params) => {
        // Asked without its parameters, a message shows its source text: formatting would throw
        // in the middle of drawing a template.
        if (params === undefined) return value;
        format ??= new Format(value, language);
        return String(format.format(params));
      };
    }
  }
  return out;
}

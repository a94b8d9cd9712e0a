import type { I18n } from '../../core/i18n/i18n';

/** Stands for the argument that the template draws as an element (e.g. a folder in `<code>`). */
const MARK = '\u0000';

/**
 * A translated sentence split around its argument `name`, so that the template draws the argument
 * as an element where the language puts it: `[before, after]`. Call it at render (it reads the
 * language signal).
 */
export function splitAround(
  i18n: Pick<I18n, 't'>,
  key: string,
  name: string,
  params: Record<string, unknown> = {},
): readonly [string, string] {
  const [before = '', ...after] = i18n.t(key, { ...params, [name]: MARK }).split(MARK);
  return [before, after.join('')];
}

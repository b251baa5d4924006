// Looking strings up in the strings files' tables, shared by the page's i18n.js and the embed's
// i18n-embed.js (which replaces i18n.js in the element's bundle): the text at a dotted key in
// the chosen language, else in English, with `{name}` placeholders filled and numbers written
// with the language's digit grouping.

/**
 * `{ t, has, formatNumber, missing }` over the tables `tables()` returns at the moment of each
 * call: `{ chosen, english, code }` (the chosen language's table, the English one, the code).
 * `missing` collects keys neither table has (the tests require none).
 */
export function createStrings(tables) {
  const missing = new Set();

  function lookup(table, key) {
    let node = table;
    for (const part of key.split('.')) {
      if (node === null || typeof node !== 'object' || !(part in node)) return undefined;
      node = node[part];
    }
    return node;
  }

  function text(key) {
    const { chosen, english } = tables();
    const found = lookup(chosen, key);
    return typeof found === 'string' ? found : lookup(english || {}, key);
  }

  function formatNumber(n, options) {
    return n.toLocaleString(tables().code === 'zh-CN' ? 'zh-CN' : 'en-US', options);
  }

  return {
    missing,
    formatNumber,
    /** Whether either table has `key` (optional strings, such as a lever's help). */
    has: (key) => typeof text(key) === 'string',
    /** The string at `key`, with `{name}` replaced by `vars.name` (numbers formatted). */
    t(key, vars = {}) {
      const found = text(key);
      if (typeof found !== 'string') {
        missing.add(key);
        return key;
      }
      return found.replace(/\{(\w+)\}/g, (whole, name) => {
        if (!(name in vars)) return whole;
        const v = vars[name];
        return typeof v === 'number' ? formatNumber(v) : String(v);
      });
    },
  };
}

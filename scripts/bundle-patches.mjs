// Build-time patches to bundled dependencies, each for start-up time and each behaviour-preserving. Every patch
// checks that the code it replaces is still there and fails the build otherwise: a dependency update must never
// silently drop a patch (or apply it to code that changed meaning).
import {readFile} from 'node:fs/promises';

function replaceExactly(source, from, to, what) {
  if (!source.includes(from)) throw new Error(`${what}: the code to patch was not found; update scripts/bundle-patches.mjs`);
  return source.replaceAll(from, () => to); // a function: `$` in the replacement is literal
}

/** Ink imports React DevTools only when DEV=true; an empty stub keeps the optional package out of the bundle. */
export const stubDevtools = {
  name: 'stub-react-devtools',
  setup(b) {
    b.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'stub'}));
    b.onLoad({filter: /.*/, namespace: 'stub'}, () => ({contents: 'export default {connectToDevTools() {}};', loader: 'js'}));
  },
};

/**
 * yoga-layout's Emscripten loader fetch()es its own embedded wasm (a data: URL) whenever fetch exists, and on Node
 * that first loads undici: ~50 ms before Ink can draw. Decoding the embedded bytes directly is what the same loader
 * does when fetch is missing; the wasm is identical.
 */
export const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, async args => {
      const source = await readFile(args.path, 'utf8');
      return {contents: replaceExactly(source, '"function"!=typeof fetch', '!0', 'yoga-layout'), loader: 'js'};
    });
  },
};

/**
 * string-width 8 builds /^\p{RGI_Emoji}$/v when it is imported (~25 ms) and compiles it on the first non-ASCII
 * string it measures (~25 ms more): ~50 ms of every start-up, for a screen that may show no emoji at all. The
 * regex is built on first need instead, and a segment of one code point that is not Extended_Pictographic and not a
 * skin-tone modifier skips it: no such code point is RGI_Emoji (checked over every code point by
 * tests/build/string-width-patch.test.ts). Everything else still goes through the same regex.
 */
export const stringWidthLazyEmoji = {
  name: 'string-width-lazy-emoji',
  setup(b) {
    b.onLoad({filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/}, async args => {
      let source = await readFile(args.path, 'utf8');
      // Only the version that has this regex (8.x); other copies (wrap-ansi's 7.x) are left alone.
      if (!source.includes('const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;')) return undefined;
      source = replaceExactly(
        source,
        'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;',
        [
          'let rgiEmojiRegexBuilt;',
          "const rgiEmojiRegex = {test: segment => (rgiEmojiRegexBuilt ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v')).test(segment)};",
          'const pictographicRegex = /\\p{Extended_Pictographic}/u;',
          'function mayBeRgiEmoji(segment) {',
          '\tconst codePoint = segment.codePointAt(0);',
          '\tif (segment.length !== (codePoint > 0xFFFF ? 2 : 1)) return true;',
          '\treturn pictographicRegex.test(segment) || (codePoint >= 0x1F3FB && codePoint <= 0x1F3FF);',
          '}',
        ].join('\n'),
        'string-width',
      );
      source = replaceExactly(source, 'if (rgiEmojiRegex.test(segment) ||', 'if ((mayBeRgiEmoji(segment) && rgiEmojiRegex.test(segment)) ||', 'string-width');
      return {contents: source, loader: 'js'};
    });
  },
};

export const bundlePatches = [stubDevtools, yogaWithoutFetch, stringWidthLazyEmoji];

import type {Plugin} from 'esbuild';

export const stubDevtools: Plugin;
export const yogaWithoutFetch: Plugin;
export const stringWidthLazyEmoji: Plugin;
export const bundlePatches: Plugin[];

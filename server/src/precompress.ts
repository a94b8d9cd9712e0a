/**
 * The old path of http/precompress.ts, which bench/lib/build.js loads from the compiled server;
 * remove once the bench loads http/precompress.js.
 */
export { precompress, type PrecompressResult } from './http/precompress';

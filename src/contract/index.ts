/** JOC API types shared by the web client and the embedded server (type-only). */
export type * from './key-pair';
export type * from './envelopes';
export type * from './requests';
export type * from './session';
export type * from './audit-log';
export type * from './key-check';

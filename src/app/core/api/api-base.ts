/** Every call of the JOC REST dialect lives under this path and is a POST. */
export const API_BASE = '/joc/api';

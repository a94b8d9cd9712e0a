// `ng serve` sends /joc/api to the embedded server, or to a real JOC Cockpit when JOC_URL is set.
const target = process.env.JOC_URL || `http://127.0.0.1:${process.env.PORT || 4446}`;
module.exports = { '/joc/api': { target, secure: false, changeOrigin: true } };

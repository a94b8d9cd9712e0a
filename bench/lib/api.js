'use strict';
/**
 * API throughput: autocannon, 50 connections on loopback for `seconds`, POST /joc/api/profile/key
 * with a stored pair, against (1) a bare Fastify route returning the same JSON (its own process)
 * and (2) the embedded server; resident memory of the embedded server sampled from
 * /proc/PID/status (VmRSS) every 100 ms during its run (and the bare server's during its own).
 */
const autocannon = require('autocannon');
const { sampleRss } = require('./common');

function cannon(url, token, seconds, connections) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/joc/api/profile/key`,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { 'x-access-token': token } : {}) },
        body: '{}',
        connections,
        duration: seconds,
        timeout: 10,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false, outputStream: { write() {} } });
  });
}

const summary = (r) => ({
  rps: r.requests.average,
  p50: r.latency.p50,
  p99: r.latency.p99,
  max: r.latency.max,
  requests: r.requests.total,
  non2xx: r.non2xx,
  errors: r.errors,
  timeouts: r.timeouts,
});

/** @param {{appUrl: string, appPid: number, bareUrl: string, barePid: number, token: string, seconds: number, connections: number}} o */
async function benchApi(o) {
  await cannon(o.bareUrl, undefined, 1, o.connections); // warm-up both (1 s each, not counted)
  await cannon(o.appUrl, o.token, 1, o.connections);
  const bareSampler = sampleRss(o.barePid, 100);
  const bare = summary(await cannon(o.bareUrl, undefined, o.seconds, o.connections));
  const bareRss = bareSampler.stop();
  const sampler = sampleRss(o.appPid, 100);
  const app = summary(await cannon(o.appUrl, o.token, o.seconds, o.connections));
  const rss = sampler.stop();
  return { bare, app, rssMaxMb: rss.max, rssSamples: rss.samples, bareRssMaxMb: bareRss.max };
}

module.exports = { benchApi };

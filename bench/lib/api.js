'use strict';
/**
 * API throughput: autocannon, 50 connections on loopback for `seconds`, POST /joc/api/profile/key
 * with a stored pair, against (1) a bare Fastify route returning the same JSON (its own process)
 * and (2) the embedded server; resident memory of the embedded server sampled from
 * /proc/PID/status (VmRSS) every 100 ms during its run (and the bare server's during its own).
 * The two alternate `rounds` times (the machine is shared: a neighbour's burst during one 10 s run
 * moved the ratio by ±0.2), and each run also reports the server's CPU time per request
 * (utime + stime from /proc/PID/stat), which the load generator sharing the cores affects less.
 */
const autocannon = require('autocannon');
const { readFileSync } = require('node:fs');
const { sampleRss, stats } = require('./common');

/** CPU time (user + system) of a process in ms, from /proc/PID/stat (clock ticks of 10 ms). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function measured(url, token, pid, seconds, connections) {
  const cpuBefore = cpuMs(pid);
  const sampler = sampleRss(pid, 100);
  const result = summary(await cannon(url, token, seconds, connections));
  const rss = sampler.stop();
  return {
    ...result,
    cpuUsPerRequest: ((cpuMs(pid) - cpuBefore) * 1000) / Math.max(1, result.requests),
    rssMaxMb: rss.max,
    rssSamples: rss.samples,
  };
}

function cannon(url, token, seconds, connections) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/joc/api/profile/key`,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { 'x-access-token': token } : {}),
        },
        body: '{}',
        connections,
        duration: seconds,
        timeout: 10,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    autocannon.track(instance, {
      renderProgressBar: false,
      renderResultsTable: false,
      renderLatencyTable: false,
      outputStream: { write() {} },
    });
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

/** @param {{appUrl: string, appPid: number, bareUrl: string, barePid: number, token: string, seconds: number, connections: number, rounds: number}} o */
async function benchApi(o) {
  await cannon(o.bareUrl, undefined, 1, o.connections); // warm-up both (1 s each, not counted)
  await cannon(o.appUrl, o.token, 1, o.connections);
  const runs = [];
  for (let i = 0; i < o.rounds; i++) {
    const bare = await measured(o.bareUrl, undefined, o.barePid, o.seconds, o.connections);
    const app = await measured(o.appUrl, o.token, o.appPid, o.seconds, o.connections);
    runs.push({ bare, app, ratio: app.rps / bare.rps });
  }
  const median = (pick) => stats(runs.map(pick)).median;
  const sum = (pick) => runs.reduce((total, run) => total + pick(run), 0);
  const side = (name) => ({
    rps: median((r) => r[name].rps),
    rpsMin: Math.min(...runs.map((r) => r[name].rps)),
    rpsMax: Math.max(...runs.map((r) => r[name].rps)),
    p50: median((r) => r[name].p50),
    p99: median((r) => r[name].p99),
    p99Max: Math.max(...runs.map((r) => r[name].p99)),
    max: Math.max(...runs.map((r) => r[name].max)),
    cpuUsPerRequest: median((r) => r[name].cpuUsPerRequest),
    requests: sum((r) => r[name].requests),
    non2xx: sum((r) => r[name].non2xx),
    errors: sum((r) => r[name].errors),
    timeouts: sum((r) => r[name].timeouts),
  });
  return {
    rounds: o.rounds,
    runs,
    ratio: median((r) => r.ratio),
    bare: side('bare'),
    app: side('app'),
    rssMaxMb: Math.max(...runs.map((r) => r.app.rssMaxMb)),
    rssSamples: sum((r) => r.app.rssSamples),
    bareRssMaxMb: Math.max(...runs.map((r) => r.bare.rssMaxMb)),
  };
}

module.exports = { benchApi };

'use strict';
/**
 * Shared helpers for the benchmarks: statistics, servers in their own process group (started
 * with setsid, stopped with kill -- -PGID, never by name), free loopback ports, the JOC API.
 */
const { spawn, spawnSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const net = require('node:net');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'bench', '.out');
const HOST = '127.0.0.1';

/** median, min, max of a list of numbers. */
function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const median =
    n === 0 ? NaN : n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { n, median, min: sorted[0], max: sorted[n - 1], values };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A free TCP port on loopback (asked of the kernel). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Waits (bounded) until something accepts TCP connections on the port. */
async function waitForPort(port, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, HOST);
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`nothing listens on ${HOST}:${port} after ${timeoutMs} ms`);
}

/**
 * Starts `node script` in a new session (setsid: its own process group, whose id is its pid),
 * waits for its port, and returns {pid, port, stop()}. stop() signals the whole group.
 */
async function startNode(script, { env = {}, args = [], nodeArgs = [], port, log } = {}) {
  port = port ?? (await freePort());
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST },
    detached: true, // setsid(): a new process group led by the child
    stdio: ['ignore', log ?? 'ignore', log ?? 'inherit'],
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    await waitForPort(port);
  } catch (error) {
    if (!exited) process.kill(-child.pid, 'SIGKILL');
    throw error;
  }
  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    for (let i = 0; i < 50 && !exited; i++) await sleep(100);
    if (!exited) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  };
  return { pid: child.pid, port, child, stop, url: `http://${HOST}:${port}` };
}

/** Resident memory of a process in MB (VmRSS in /proc/PID/status), or NaN. */
function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Samples VmRSS every `everyMs` until stopped; returns {stop(): {max, samples}}. */
function sampleRss(pid, everyMs = 100) {
  const samples = [];
  const timer = setInterval(() => samples.push(rssMb(pid)), everyMs);
  samples.push(rssMb(pid));
  return {
    stop() {
      clearInterval(timer);
      samples.push(rssMb(pid));
      const valid = samples.filter((s) => !Number.isNaN(s));
      return { max: Math.max(...valid), samples: valid.length };
    },
  };
}

/** POSTs JSON to the JOC API with a 60 s timeout; returns {status, body, headers}. */
async function post(base, path, body, token, extraHeaders = {}) {
  const response = await fetch(`${base}/joc/api${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { 'x-access-token': token } : {}),
      ...extraHeaders,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60000),
  });
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, body: json, text, headers: response.headers };
}

/** Logs in as root/root; returns the access token. */
async function login(base, account = 'root', password = 'root') {
  const r = await post(base, '/authentication/login', undefined, undefined, {
    authorization: 'Basic ' + Buffer.from(`${account}:${password}`).toString('base64'),
  });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
  return r.headers.get('x-access-token') ?? r.body.accessToken;
}

/** Runs a command synchronously (bounded), throwing with its output on failure. */
function run(cmd, args, { cwd = ROOT, timeoutMs = 600000, env = {}, quiet = false } = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    env: { ...process.env, NG_CLI_ANALYTICS: 'false', ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (!quiet && r.status !== 0) process.stderr.write(output);
  return { status: r.status, output, error: r.error };
}

const ms = (ns) => Number(ns) / 1e6;

module.exports = {
  ROOT,
  OUT,
  HOST,
  stats,
  sleep,
  freePort,
  waitForPort,
  startNode,
  rssMb,
  sampleRss,
  post,
  login,
  run,
  ms,
};

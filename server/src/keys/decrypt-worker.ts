/**
 * Worker-thread side of {@link readKeyMaterialOffThread}: reads each uploaded file it is sent
 * with its password and posts the PKI core's result (plain data: strings, bytes, dates) back.
 * One file at a time; the pool sends the next only after the answer.
 */
import { parentPort } from 'node:worker_threads';
import { readKeyMaterial } from '../../../src/pki';
import type { DecryptJob } from './decrypt-off-thread';

parentPort?.on('message', (job: DecryptJob) => {
  void readKeyMaterial(job.bytes, { password: job.password, name: job.name }).then((result) =>
    parentPort?.postMessage(result),
  );
});

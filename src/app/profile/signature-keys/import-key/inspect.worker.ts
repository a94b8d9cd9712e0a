/**
 * The Import dialog's decryption, off the page's thread: opening an encrypted key or a PKCS#12
 * file is node-forge's synchronous key derivation, which a file's iteration count can stretch to
 * minutes. Here it only blocks this worker, which the dialog terminates when the person stops,
 * closes the dialog, or the time limit passes.
 */
import { inspect } from '../../../../pki';
import type { InspectRequest } from './inspect-off-thread';

// Typed by hand: the app's tsconfig has the DOM library, not the worker one.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<InspectRequest>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = async ({ data }) => {
  // inspect never throws on bad input; its answer is plain data (bytes, dates, text) and clones.
  scope.postMessage(await inspect(data.bytes, { password: data.password }));
};

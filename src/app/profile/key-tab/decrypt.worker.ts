/**
 * The key dialogs' decryption, off the page's thread: opening an encrypted key or a PKCS#12 file
 * is node-forge's synchronous key derivation, which a file's iteration count can stretch to
 * minutes. Here it only blocks this worker, which the page terminates when the person stops,
 * types on, closes the dialog, or the time limit passes.
 */
import { inspect, readPrivateKey } from '../../../pki';
import type { DecryptRequest } from './decrypt-off-thread';

// Typed by hand: the app's tsconfig has the DOM library, not the worker one.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<DecryptRequest>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = async ({ data }) => {
  // The PKI core never throws on bad input; its answers are plain data (bytes, dates, text,
  // and a failure's code and values, which the page translates).
  scope.postMessage(
    data.op === 'inspect'
      ? await inspect(data.bytes, { password: data.password, name: data.name })
      : await readPrivateKey(data.text, { passphrase: data.passphrase }),
  );
};

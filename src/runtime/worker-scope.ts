// Inside the Web Worker (the only place tfjs runs): wires `self` to the dispatcher with the task list the worker's
// entry hands over (src/worker.ts: the runtime knows no model), and turns anything that escapes (an uncaught error
// or unhandled rejection) into a structured 'error' event instead of a console error. tfjs and each backend are
// dynamic imports, so they are separate chunks fetched only when init asks for them.
import { createDispatcher } from './dispatcher.ts';
import { serializeError, type WorkerMessage } from './protocol.ts';
import type { TaskRegistry } from './tasks.ts';

export function serveWorker(tasks: TaskRegistry): void {
  const scope = self as unknown as DedicatedWorkerGlobalScope;

  // A MessageChannel round-trip yields to the event loop without setTimeout's 4 ms clamp for nested timers.
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  const tick = () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(0);
    });

  const post = (msg: WorkerMessage, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);
  const dispatcher = createDispatcher({ post, tick, tasks });

  scope.addEventListener('message', (e: MessageEvent) => void dispatcher.handle(e.data));
  scope.addEventListener('unhandledrejection', (e: PromiseRejectionEvent) => {
    e.preventDefault();
    post({ id: 0, event: 'error', error: serializeError(e.reason) });
  });
  scope.addEventListener('error', (e: ErrorEvent) => {
    e.preventDefault();
    post({ id: 0, event: 'error', error: serializeError(e.error ?? e.message) });
  });
}
